import type { MailboxChange } from "../../src/domain/changes.ts";
import { nowSeconds } from "../../src/ids.ts";
import type { Logger } from "../../src/log.ts";
import type { Store } from "../../src/store/store.ts";
import type { ChangeBus } from "../bus.ts";
import type { Actor, Outcome } from "../runtime.ts";
import type { CommandContext, MailboxRequest } from "./command.ts";
import { recordDepartures } from "./departures.ts";
import { loadState, type MailboxState, persistCounters } from "./state.ts";

/**
 * The only writer of one grant's mailbox. A batch of queued commands executes in one store
 * transaction (each in its own savepoint, plus a last unit that persists the counters); replies
 * go out and changes are published only after that transaction commits.
 */
export class MailboxActor implements Actor<MailboxRequest<unknown>, void> {
  private state: MailboxState | null = null;

  constructor(
    private readonly grantId: string,
    private readonly store: Store,
    private readonly bus: ChangeBus,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.state = loadState(this.store.read, this.grantId);
  }

  async handle(batch: MailboxRequest<unknown>[]): Promise<Outcome<void>[]> {
    const state = this.state;
    if (!state) throw new Error("mailbox actor used before start");
    const now = nowSeconds();
    const units = batch.map((request) => async (tx: CommandContext["tx"]) => {
      const ctx: CommandContext = { state, tx, now, changes: [] };
      await request.execute(ctx);
      recordDepartures(tx, state.grantId, ctx.changes);
      return ctx.changes;
    });
    const settled = await this.store.writer.submitAll<MailboxChange[] | undefined>([
      ...units,
      (tx) => {
        persistCounters(tx, state);
        return undefined;
      },
    ]);
    const counters = settled.at(-1);
    if (!counters?.ok) throw counters?.error ?? new Error("counters were not persisted");
    const outcomes = settled.slice(0, batch.length).map((s): Outcome<void> => {
      if (!s.ok) return s;
      for (const change of s.value ?? []) this.bus.publish(this.grantId, change);
      return { ok: true, value: undefined };
    });
    // A command that failed may have advanced counters or cached folders; start again from disk.
    if (outcomes.some((o) => !o.ok)) await this.start();
    return outcomes;
  }

  stop(): void {
    this.state = null;
    this.log.debug({ grantId: this.grantId }, "mailbox actor stopped");
  }
}
