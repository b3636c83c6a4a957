/**
 * The inbound MX's two decision points. The MX asks `decideRecipient` at every RCPT TO and
 * `decideMessage` once per recipient after DATA; it acts only on what they answer. Both decide
 * from the account's governance (src/guardrails/: its policy's limits, its inbound rules) and
 * the built-in checks (unknown user, storage quota, message size, DMARC).
 */
import { findGrantByEmail } from "../accounts/grants.ts";
import type { Flags } from "../domain/flags.ts";
import { utcDay } from "../domain/utc-day.ts";
import { checkAccountInbound } from "../guardrails/account-check.ts";
import {
  type AttachmentProblem,
  attachmentProblem,
  hasAttachmentLimits,
} from "../guardrails/attachment-limits.ts";
import type { Governance, Guardrails } from "../guardrails/governance.ts";
import { type PendingEvaluations, recordRefusal } from "../guardrails/record.ts";
import { checkRules, type RuleCheck } from "../guardrails/rule-check.ts";
import { nowSeconds } from "../ids.ts";
import type { AttachmentInfo } from "../mail/attachments.ts";
import { headerFromAddress } from "../mail/header-addresses.ts";
import type { ParsedMessage } from "../mail/parse-message.ts";
import { receivedOn } from "../mailbox/writes/receive-counts.ts";
import { evaluationInput } from "../rule-engine/address-parts.ts";
import type { RuleOutcome } from "../rule-engine/evaluate.ts";
import type { EvaluationStage } from "../rule-engine/vocabulary.ts";
import type { MessageSpamSignals } from "../spam/message-signals.ts";
import type { SpamVerdict } from "../spam/verdict.ts";
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
  | {
      action: "accept";
      folderId: string;
      flags: Partial<Flags>;
      reason?: string;
      rules?: RuleOutcome;
      /** The account's daily receive limit, taken when the copy is stored. */
      dailyReceiveLimit?: number;
      /** The spam verdict of the account's policy, kept on the message. */
      spam?: SpamVerdict;
    }
  | ({ action: "reject" } & Refusal)
  | ({ action: "tempfail" } & Refusal);

export interface PolicyContext {
  store: Store;
  /** AGENTBOX_MAX_MESSAGE_BYTES: what DATA reads at most (a policy may only lower it). */
  maxMessageBytes: number;
  /** What governs each account: its policy's limits and its rules. */
  guardrails: Guardrails;
  /** Where passes at RCPT are recorded (blocks and failures are written before the answer). */
  evaluations: PendingEvaluations;
}

/** RCPT TO: is this a hosted account that can take a message (of the declared size) from this sender? */
export async function decideRecipient(
  ctx: PolicyContext,
  envelope: InboundEnvelope,
  address: string,
): Promise<RecipientDecision> {
  const grant = findGrantByEmail(ctx.store, address);
  if (!grant) {
    return { action: "reject", code: 550, enhanced: "5.1.1", text: `<${address}>: no such mailbox here` };
  }
  const governance = ctx.guardrails.forGrant(grant);
  const max = governance.limits.maxMessageBytes;
  const size = envelope.declaredSize ?? 0;
  if (size > max) return tooBig(size, max, `<${address}>: `);
  const check = inboundCheck(ctx, governance, envelope.mailFrom);
  const ruled = await ruleRefusal(ctx, grant, "smtp_rcpt", check);
  if (ruled) return ruled;
  if (check.kind === "verdict") recordRecipientPass(ctx, grant, check);
  if (grant.storageUsedBytes + Math.max(size, 1) > grant.storageQuotaBytes) {
    return overQuota(address);
  }
  const daily = governance.limits.dailyReceiveLimit;
  if (daily !== null && receivedOn(ctx.store.read, grant.id, utcDay(nowSeconds())) >= daily) {
    return overDailyLimit(address, daily);
  }
  return { action: "accept", grant };
}

/** The whole message, for one recipient: where it goes, or why it does not. */
export async function decideMessage(
  ctx: PolicyContext,
  envelope: InboundEnvelope,
  recipient: GrantRow,
  message: InboundMessage,
): Promise<MessageDecision> {
  const governance = ctx.guardrails.forGrant(recipient);
  const { limits } = governance;
  if (message.size > limits.maxMessageBytes) return tooBig(message.size, limits.maxMessageBytes, "");
  if (recipient.storageUsedBytes + message.size > recipient.storageQuotaBytes)
    return overQuota(recipient.email);
  if (hasAttachmentLimits(limits)) {
    const problem = attachmentProblem(await message.attachments(), limits);
    if (problem) return attachmentRefusal(recipient.email, problem);
  }
  // The header's From is the sender rules see after DATA; the envelope's when it has none.
  const sender = headerFromAddress(message.raw) ?? envelope.mailFrom;
  const account = checkAccountInbound(ctx.store, recipient, governance.account, message.raw, sender);
  const listed = await ruleRefusal(ctx, recipient, "inbox_processing", account);
  if (listed) return listed;
  const check = inboundCheck(ctx, governance, sender);
  const ruled = await ruleRefusal(ctx, recipient, "inbox_processing", check);
  if (ruled) return ruled;
  const spam = await message.spam.verdict(governance.spam);
  const extra = {
    ...(check.kind === "verdict" && {
      rules: { stage: "inbox_processing", input: check.input, verdict: check.verdict } as RuleOutcome,
    }),
    ...(limits.dailyReceiveLimit !== null && { dailyReceiveLimit: limits.dailyReceiveLimit }),
    ...(spam && { spam }),
  };
  // A rule's destination, applied as the message is stored, still wins over these two.
  if (spam?.is_spam) {
    return {
      action: "accept",
      folderId: "junk",
      flags: {},
      reason: `spam score ${spam.score} ≥ ${spam.threshold}`,
      ...extra,
    };
  }
  if (dmarcAsksForJunk(message.authentication)) {
    return {
      action: "accept",
      folderId: "junk",
      flags: {},
      reason: `DMARC ${message.authentication.dmarc.policy} policy of ${message.authentication.dmarc.domain}`,
      ...extra,
    };
  }
  return { action: "accept", folderId: "inbox", flags: {}, ...extra };
}

/** The message after DATA, as the decisions see it; what is costly is computed on first use. */
export interface InboundMessage {
  size: number;
  raw: Uint8Array;
  /** Parses on the calling thread (the built-in checks do not need it). */
  parsed: () => ParsedMessage;
  /** The attachments, from the preparation the store will use anyway (off the main thread). */
  attachments: () => Promise<AttachmentInfo[]>;
  authentication: AuthVerdict;
  /** Its spam signals, computed once for every recipient whose policy asks. */
  spam: Pick<MessageSpamSignals, "verdict">;
}

/**
 * Attachments a policy does not allow refuse the message for that account (agentbox does not
 * strip them: a message is stored as it was sent or not at all): over the size or count, 552
 * 5.3.4; a type not allowed, 550 5.7.1.
 */
function attachmentRefusal(address: string, problem: AttachmentProblem): { action: "reject" } & Refusal {
  const [code, enhanced] = problem.kind === "type" ? [550, "5.7.1"] : [552, "5.3.4"];
  return { action: "reject", code, enhanced, text: `<${address}>: ${problem.message}` };
}

/**
 * The daily receive limit: a temporary refusal (the sender's queue retries after midnight UTC),
 * with Gmail's code for a recipient receiving too fast.
 */
export function overDailyLimit(address: string, limit: number): { action: "tempfail" } & Refusal {
  return {
    action: "tempfail",
    code: 452,
    enhanced: "4.2.1",
    text: `<${address}>: has received its limit of ${limit} messages today (UTC); try again later`,
  };
}

function inboundCheck(ctx: PolicyContext, governance: Governance, sender: string): RuleCheck {
  return checkRules(ctx.store, governance.inbound, evaluationInput(sender));
}

/** A pass at RCPT: nothing is applied at this stage (the other actions apply after DATA). */
function recordRecipientPass(
  ctx: PolicyContext,
  grant: GrantRow,
  check: Extract<RuleCheck, { kind: "verdict" }>,
): void {
  ctx.evaluations.add({
    applicationId: grant.applicationId,
    grantId: grant.id,
    messageId: null,
    stage: "smtp_rcpt",
    input: check.input,
    applied: {},
    matchedRuleIds: check.verdict.matchedRuleIds,
    evaluatedAt: nowSeconds(),
  });
}

/**
 * A block (550 5.7.1: a policy's final word) or a failed evaluation (451 4.3.0: fail closed,
 * the sender retries), recorded without a message; null when the rules let it through.
 */
async function ruleRefusal(
  ctx: PolicyContext,
  grant: GrantRow,
  stage: EvaluationStage,
  check: RuleCheck,
): Promise<({ action: "reject" | "tempfail" } & Refusal) | null> {
  const refusal = await recordRefusal(ctx.store, grant, stage, check);
  if (refusal === null) return null;
  if (refusal === "failed") {
    return {
      action: "tempfail",
      code: 451,
      enhanced: "4.3.0",
      text: `<${grant.email}>: the recipient's rules could not be evaluated; try again later`,
    };
  }
  return {
    action: "reject",
    code: 550,
    enhanced: "5.7.1",
    text: `<${grant.email}>: message refused by the recipient's policy`,
  };
}

function tooBig(size: number, max: number, prefix: string): { action: "reject" } & Refusal {
  return {
    action: "reject",
    code: 552,
    enhanced: "5.3.4",
    text: `${prefix}the message (${size} bytes) is over the limit of ${max} bytes`,
  };
}

function overQuota(address: string): { action: "tempfail" } & Refusal {
  return {
    action: "tempfail",
    code: 452,
    enhanced: "4.2.2",
    text: `<${address}>: mailbox full (over its storage quota); try again later`,
  };
}
