import { randomUUID } from "node:crypto";
import { ComposeError } from "../mail/compose/errors.ts";
import { findField } from "../mail/header-block.ts";
import { headerFields, prependFields, withoutFields } from "../mail/header-edit.ts";
import { parseMessage } from "../mail/parse-message.ts";
import { type MessageView, messageByHeader } from "../mailbox/messages.ts";
import type { GrantRow } from "../store/schema.ts";
import { authorProblem } from "./author.ts";
import { messageIdDomain, type SendingDeps } from "./deps.ts";
import { MAX_RECIPIENTS } from "./limits.ts";
import { dispatch } from "./outgoing.ts";

export interface RawSendOptions {
  /**
   * The envelope's recipients (SMTP submission's RCPT TO); by default those the header names
   * (To, Cc, Bcc), as for the API.
   */
  recipients?: string[];
  /** Trace fields (a Received of SMTP submission) put on what recipients get, not on the Sent copy. */
  trace?: string[];
}

/**
 * A client's own RFC 5322 bytes, sent as they are (POST /messages/send?type=mime; SMTP
 * submission too). Only a missing Message-ID or Date is added (at the top); Bcc is taken off
 * what recipients get. From (and Sender, if any) must be the account: it may only send as itself.
 */
export async function sendRawMime(
  deps: SendingDeps,
  grant: GrantRow,
  mime: Uint8Array,
  opts: RawSendOptions = {},
): Promise<MessageView> {
  const wrongAuthor = authorProblem(mime, grant.email);
  if (wrongAuthor) throw new ComposeError("mime", `mime: ${wrongAuthor}`);
  const parsed = parseMessage(mime);
  const named = [...parsed.to, ...parsed.cc, ...parsed.bcc].map((p) => p.email);
  const recipients = [...new Set((opts.recipients ?? named).map((r) => r.toLowerCase()))];
  checkRecipients(recipients.length);
  const sentRaw = prependFields(mime, missingFields(mime, grant));
  return dispatch(deps, grant, {
    sentRaw,
    deliveryRaw: prependFields(withoutFields(sentRaw, "bcc"), opts.trace ?? []),
    recipients,
    answeredId: messageByHeader(deps.store, grant.id, parsed.inReplyTo),
  });
}

function checkRecipients(count: number): void {
  if (count === 0) throw new ComposeError("mime", "mime: the message has no recipients; add To, Cc or Bcc");
  if (count > MAX_RECIPIENTS) {
    throw new ComposeError("mime", `mime: too many recipients: ${count} (To + Cc + Bcc ≤ ${MAX_RECIPIENTS})`);
  }
}

function missingFields(mime: Uint8Array, grant: GrantRow): string[] {
  const fields = headerFields(mime);
  const lines: string[] = [];
  if (!findField(fields, "message-id")) lines.push(`Message-ID: <${randomUUID()}@${messageIdDomain(grant)}>`);
  if (!findField(fields, "date")) lines.push(`Date: ${new Date().toUTCString().replace("GMT", "+0000")}`);
  return lines;
}
