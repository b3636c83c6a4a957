import type { Flags } from "../../src/domain/flags.ts";
import { insertRuleEvaluation } from "../../src/mailbox/writes/rule-evaluations.ts";
import type { RuleOutcome } from "../../src/rule-engine/evaluate.ts";
import { placeVerdict } from "../../src/rule-engine/placement.ts";
import type { AppliedActions } from "../../src/rule-engine/vocabulary.ts";
import type { CommandContext } from "./command.ts";
import type { MailboxState } from "./state.ts";

/**
 * A verdict's actions, applied as the message is stored (never stored, then changed): its
 * folder among the account's, and its flags.
 */
export interface Placement {
  folderId: string;
  flags: Partial<Flags>;
  applied: AppliedActions;
}

export function placeByVerdict(
  state: MailboxState,
  outcome: RuleOutcome,
  folderId: string,
  flags: Partial<Flags> = {},
): Placement {
  const placed = placeVerdict(outcome.verdict, state.folders, folderId);
  return {
    folderId: placed.folderId,
    flags: { ...flags, ...(placed.seen && { seen: true }), ...(placed.flagged && { flagged: true }) },
    applied: placed.applied,
  };
}

/** The evaluation row of a message the command stored, in its unit. */
export function recordStoredEvaluation(
  ctx: CommandContext,
  outcome: RuleOutcome,
  messageId: string,
  applied: AppliedActions,
): void {
  insertRuleEvaluation(ctx.tx, {
    applicationId: ctx.state.applicationId,
    grantId: ctx.state.grantId,
    messageId,
    stage: outcome.stage,
    input: outcome.input,
    applied,
    matchedRuleIds: outcome.verdict.matchedRuleIds,
    evaluatedAt: ctx.now,
  });
}
