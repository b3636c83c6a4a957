import { type EvaluationRecord, insertRuleEvaluation } from "../mailbox/writes/rule-evaluations.ts";
import type { Store } from "../store/store.ts";

/**
 * Records an evaluation that stored nothing (a block, a failure) in its own unit. One that
 * stored a message is recorded by the mailbox command that stored it, in the same unit.
 */
export async function recordEvaluation(store: Store, record: EvaluationRecord): Promise<void> {
  await store.writer.submit((tx) => {
    insertRuleEvaluation(tx, record);
  });
}
