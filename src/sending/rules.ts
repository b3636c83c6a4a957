import { MailboxError } from "../domain/errors.ts";
import { checkAccountInbound } from "../guardrails/account-check.ts";
import { recordRefusal } from "../guardrails/record.ts";
import { checkRules, type RuleCheck } from "../guardrails/rule-check.ts";
import { headerRecipients, isReplyHeader } from "../mail/header-addresses.ts";
import { evaluationInput } from "../rule-engine/address-parts.ts";
import type { RuleOutcome } from "../rule-engine/evaluate.ts";
import type { EvaluationStage } from "../rule-engine/vocabulary.ts";
import type { GrantRow } from "../store/schema.ts";
import type { SendingDeps } from "./deps.ts";

/**
 * The rule engine on the send path. Outbound (`outbound_send`): the sender's outbound rules over
 * the account's address, every recipient (envelope, To, Cc, Bcc) and the send's type (`reply`
 * when the message has In-Reply-To or References). Inbound (`inbox_processing`) for a hosted
 * recipient: its own inbound rules, as if the message had come through the MX.
 */

/**
 * Answers the verdict to apply to the Sent copy (undefined: no outbound rule in force), or
 * refuses: blocked (403 / 550 5.7.1), or the evaluation failed (503 / 451 4.3.0: fail closed).
 * A refusal is recorded without a message; nothing is stored or delivered.
 */
export async function outboundRules(
  deps: SendingDeps,
  grant: GrantRow,
  sentRaw: Uint8Array,
  envelope: readonly string[],
): Promise<RuleOutcome | undefined> {
  const governance = deps.guardrails.forGrant(grant);
  const set = governance.outbound;
  const lists = governance.account.send;
  if (set.rules.length === 0 && lists.rules.length === 0) return undefined;
  const recipients = [...envelope, ...headerRecipients(sentRaw)];
  const input = evaluationInput(grant.email, recipients, isReplyHeader(sentRaw) ? "reply" : "compose");
  // The account's own send lists first, then the policy's rules.
  await refuseUnlessAllowed(deps, grant, "outbound_send", checkRules(deps.store, lists, input), "the send");
  const check = checkRules(deps.store, set, input);
  await refuseUnlessAllowed(deps, grant, "outbound_send", check, "the send");
  return check.kind === "verdict" ? { stage: "outbound_send", input, verdict: check.verdict } : undefined;
}

/** A hosted recipient's inbound rules for a message from `sender`; refuses as outboundRules does. */
export async function localInboundRules(
  deps: SendingDeps,
  recipient: GrantRow,
  sender: string,
  raw: Uint8Array,
): Promise<RuleOutcome | undefined> {
  const governance = deps.guardrails.forGrant(recipient);
  const what = `delivery to ${recipient.email}`;
  const listed = checkAccountInbound(deps.store, recipient, governance.account, raw, sender);
  await refuseUnlessAllowed(deps, recipient, "inbox_processing", listed, what);
  const check = checkRules(deps.store, governance.inbound, evaluationInput(sender));
  await refuseUnlessAllowed(deps, recipient, "inbox_processing", check, what);
  return check.kind === "verdict"
    ? { stage: "inbox_processing", input: check.input, verdict: check.verdict }
    : undefined;
}

async function refuseUnlessAllowed(
  deps: SendingDeps,
  grant: GrantRow,
  stage: EvaluationStage,
  check: RuleCheck,
  what: string,
): Promise<void> {
  // Narrowed for TypeScript: a refusal always comes from a verdict or a failure.
  if ((await recordRefusal(deps.store, grant, stage, check)) === null || check.kind === "none") return;
  if (check.kind === "failed") {
    deps.log.error({ err: check.error, grantId: grant.id, stage }, "rule evaluation failed");
    throw new MailboxError(
      "unavailable",
      `${what} could not be checked against the rules; try again later`,
      30,
    );
  }
  throw new MailboxError(
    "blocked",
    `${what} was blocked by rule ${check.verdict.matchedRuleIds.at(-1)}; nothing was sent or stored`,
  );
}
