import { nowSeconds } from "../ids.ts";
import { type EvaluationRecord, insertRuleEvaluation } from "../mailbox/writes/rule-evaluations.ts";
import type { EvaluationStage } from "../rule-engine/vocabulary.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import type { RuleCheck } from "./rule-check.ts";

/**
 * Whether `check` stops the message: "blocked" by a rule, "failed" when the rules could not be
 * evaluated (fail closed), null when it goes on. A refusal stores nothing, so it is recorded here,
 * in its own unit; an evaluation that stored a message is recorded by the mailbox command that
 * stored it, in the same unit.
 */
export async function recordRefusal(
  store: Store,
  grant: Pick<GrantRow, "applicationId" | "id">,
  stage: EvaluationStage,
  check: RuleCheck,
): Promise<"blocked" | "failed" | null> {
  if (check.kind === "none" || (check.kind === "verdict" && !check.verdict.blocked)) return null;
  const failed = check.kind === "failed";
  const record: EvaluationRecord = {
    applicationId: grant.applicationId,
    grantId: grant.id,
    messageId: null,
    stage,
    input: check.input,
    applied: failed ? { blocked: true, blocked_by_evaluation_error: true } : { blocked: true },
    matchedRuleIds: failed ? [] : check.verdict.matchedRuleIds,
    evaluatedAt: nowSeconds(),
  };
  await store.writer.submit((tx) => {
    insertRuleEvaluation(tx, record);
  });
  return failed ? "failed" : "blocked";
}

/**
 * Evaluations no answer waits on (a pass at the MX's RCPT: the 250 acknowledges the recipient,
 * not the audit row): queued, then written together, one unit per turn of the event loop, so a
 * busy MX adds one savepoint per batch to the writer's group commit instead of one per RCPT.
 */
export class PendingEvaluations {
  private queue: EvaluationRecord[] = [];

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(record: EvaluationRecord): void {
    if (this.queue.push(record) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.store.writer
      .submit((tx) => {
        for (const record of batch) insertRuleEvaluation(tx, record);
      })
      .catch(this.onError);
  }
}
