import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import { type AttemptRecord, saveAttempts } from "../attempts.ts";

/**
 * Collects delivery attempts and writes them together, at most once per `everyMs`: the history
 * costs one unit per tick, not a commit per notification.
 */
export class AttemptLog {
  private pending: AttemptRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly everyMs: number,
  ) {}

  add(attempt: AttemptRecord): void {
    this.pending.push(attempt);
    if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.everyMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.saving;
    this.saving = this.saving
      .then(() => saveAttempts(this.store, batch))
      .catch((err: unknown) =>
        this.log.error({ err, attempts: batch.length }, "cannot save webhook attempts"),
      );
    return this.saving;
  }
}
