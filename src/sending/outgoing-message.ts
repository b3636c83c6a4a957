import { MailboxError } from "../domain/errors.ts";
import type { Flags } from "../domain/flags.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import { getMessage, type MessageView } from "../mailbox/messages.ts";
import type { RuleOutcome } from "../rule-engine/evaluate.ts";
import type { Store } from "../store/store.ts";
import type { TrackingRequest } from "../tracking/instrument.ts";

/** A composed message ready to leave the account, whichever way it was written. */
export interface Outgoing {
  /** The Sent copy: what the sender keeps (Bcc included). */
  sentRaw: Uint8Array;
  /** What recipients get: the same bytes without Bcc. */
  deliveryRaw: Uint8Array;
  /** Envelope recipients, lower-cased and unique. */
  recipients: string[];
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /** Sending a draft (the version composed): it leaves Drafts, its id goes to the Sent copy. */
  draft?: { id: string; uid: number };
  /** The message this one answers, to mark \Answered. */
  answeredId?: string;
  /** A scheduled send coming due (see SendCommand). */
  scheduled?: { scheduleId: string; messageId: string };
  /** A message held for review, being released: a hold_for_review rule does not hold it again. */
  held?: { id: string };
  /** tracking_options, recorded with the Sent copy (src/sending/tracking.ts). */
  tracking?: TrackingRequest;
}

/** The mailbox's `send` command input for `out`: its Sent copy, and what leaves for `recipients`. */
export function sendInput(
  out: Outgoing,
  mailFrom: string,
  prepared: Promise<PreparedMessage>,
  recipients: string[],
  rules: RuleOutcome | null | undefined,
) {
  return {
    raw: out.sentRaw,
    prepared,
    outbound: { raw: out.deliveryRaw, mailFrom, recipients },
    ...(out.metadata && { metadata: out.metadata }),
    ...(out.flags && { flags: out.flags }),
    ...(out.draft && { draft: out.draft }),
    ...(out.answeredId && { answeredId: out.answeredId }),
    ...(out.scheduled && { scheduled: out.scheduled }),
    ...(out.held && { held: out.held }),
    ...(rules && { rules }),
    ...(out.tracking && { tracking: out.tracking }),
  };
}

/** The Sent copy as the API shows it, once the send committed. */
export function sentView(store: Store, grantId: string, messageId: string): MessageView {
  const view = getMessage(store, grantId, messageId);
  if (!view)
    throw new MailboxError("not_found", `sent message ${messageId} was deleted before it could be shown`);
  return view;
}
