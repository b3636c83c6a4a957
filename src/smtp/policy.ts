/**
 * The inbound MX's two decision points. The MX asks `decideRecipient` at every RCPT TO and
 * `decideMessage` once per recipient after DATA; it acts only on what they answer. Today they
 * decide from the built-in checks (unknown user, storage quota, message size, DMARC); the
 * policy/rules issue adds rules behind the same functions, with the same inputs and answers.
 */
import { findGrantByEmail } from "../accounts/grants.ts";
import type { Flags } from "../domain/flags.ts";
import type { ParsedMessage } from "../mail/parse-message.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type AuthVerdict, dmarcAsksForJunk } from "./verify.ts";

/** The SMTP transaction as the decisions see it. */
export interface InboundEnvelope {
  /** MAIL FROM, lower-cased; "" for the null sender (bounces). */
  mailFrom: string;
  /** The SIZE the client declared at MAIL FROM, if any. */
  declaredSize: number | null;
  remoteAddress: string;
  helo: string;
  /** The session runs over TLS. */
  secure: boolean;
}

/** A refusal: the basic and enhanced reply codes and a text the sender's MTA will show. */
export interface Refusal {
  code: number;
  enhanced: string;
  text: string;
}

export type RecipientDecision =
  | { action: "accept"; grant: GrantRow }
  | ({ action: "reject" } & Refusal)
  | ({ action: "tempfail" } & Refusal);

export type MessageDecision =
  | { action: "accept"; folderId: string; flags: Partial<Flags>; reason?: string }
  | ({ action: "reject" } & Refusal)
  | ({ action: "tempfail" } & Refusal);

export interface PolicyContext {
  store: Store;
  /** AGENTBOX_MAX_MESSAGE_BYTES until per-account policies exist. */
  maxMessageBytes: number;
}

/** RCPT TO: is this a hosted account that can take a message (of the declared size)? */
export async function decideRecipient(
  ctx: PolicyContext,
  envelope: InboundEnvelope,
  address: string,
): Promise<RecipientDecision> {
  const grant = findGrantByEmail(ctx.store, address);
  if (!grant) {
    return { action: "reject", code: 550, enhanced: "5.1.1", text: `<${address}>: no such mailbox here` };
  }
  const size = envelope.declaredSize ?? 0;
  if (size > ctx.maxMessageBytes) {
    return {
      action: "reject",
      code: 552,
      enhanced: "5.3.4",
      text: `<${address}>: the message (${size} bytes) is over the limit of ${ctx.maxMessageBytes} bytes`,
    };
  }
  if (grant.storageUsedBytes + Math.max(size, 1) > grant.storageQuotaBytes) {
    return overQuota(address);
  }
  return { action: "accept", grant };
}

/** The whole message, for one recipient: where it goes, or why it does not. */
export async function decideMessage(
  ctx: PolicyContext,
  _envelope: InboundEnvelope,
  recipient: GrantRow,
  /** `parsed()` parses on first use: the built-in checks need only the size and the verdicts. */
  message: { size: number; parsed: () => ParsedMessage; authentication: AuthVerdict },
): Promise<MessageDecision> {
  if (message.size > ctx.maxMessageBytes) {
    return {
      action: "reject",
      code: 552,
      enhanced: "5.3.4",
      text: `the message (${message.size} bytes) is over the limit of ${ctx.maxMessageBytes} bytes`,
    };
  }
  if (recipient.storageUsedBytes + message.size > recipient.storageQuotaBytes)
    return overQuota(recipient.email);
  if (dmarcAsksForJunk(message.authentication)) {
    return {
      action: "accept",
      folderId: "junk",
      flags: {},
      reason: `DMARC ${message.authentication.dmarc.policy} policy of ${message.authentication.dmarc.domain}`,
    };
  }
  return { action: "accept", folderId: "inbox", flags: {} };
}

function overQuota(address: string): { action: "tempfail" } & Refusal {
  return {
    action: "tempfail",
    code: 452,
    enhanced: "4.2.2",
    text: `<${address}>: mailbox full (over its storage quota); try again later`,
  };
}
