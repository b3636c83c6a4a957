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
