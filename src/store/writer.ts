import type { Logger } from "../log.ts";
import type { Db, Tx } from "./db.ts";

/** A unit of work: reads and writes inside the shared transaction, in its own savepoint. */
export type Work<T> = (tx: Tx) => T | Promise<T>;

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Units submitted together: always committed in the same transaction. */
interface Group {
  works: Work<unknown>[];
  settle: (results: Settled<unknown>[]) => void;
}

/** Largest number of units committed in one transaction; bounds the latency of a batch. */
const MAX_UNITS_PER_COMMIT = 512;

/**
 * SQLite has one writer. Every change in the process is queued here; whatever queued up while
 * the previous transaction was committing goes into the next one (group commit). Each unit runs
 * in its own SAVEPOINT, so a unit that throws is rolled back alone and the others still commit.
 * A unit's promise settles only after the transaction holding it has committed.
 */
export class StoreWriter {
  private queue: Group[] = [];
  private running: Promise<void> | null = null;
  private commits = 0;
  private units = 0;
  private readonly commitListeners = new Set<() => void>();
  private pause: () => Promise<void> | null = () => null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** One unit; rejects with the unit's own error if it failed. */
  async submit<T>(work: Work<T>): Promise<T> {
    const [result] = await this.submitAll([work]);
    if (!result) throw new Error("writer returned no result");
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Several units, committed in order in one transaction (never split); one result per unit. */
  submitAll<T>(works: Work<T>[]): Promise<Settled<T>[]> {
    return new Promise<Settled<T>[]>((resolve) => {
      this.queue.push({ works, settle: resolve as (r: Settled<unknown>[]) => void });
      // Deferred to the next turn of the event loop, so that everything enqueued in this tick
      // and by the I/O callbacks now due joins the same transaction. bun:sqlite commits (fsync)
      // block the thread, so nothing can queue *during* a commit: without this yield, work that
      // arrives spread over socket reads (the SMTP MX) committed one unit per fsync.
      setImmediate(() => this.kick());
    });
  }

  /** Resolves once everything queued so far is committed (used at shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      this.kick();
      await this.running;
    }
  }

  /**
   * Calls `listener` after every commit (the webhook dispatcher wakes on it to read new events at once).
   * It runs on the writer's path: it must be cheap and must not throw. Returns an unsubscribe.
   */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * `pause` runs before each transaction begins; when it returns a promise, the transaction waits
   * for it (the checkpointer uses this to rewind the WAL). Units keep queuing meanwhile.
   */
  pauseBeforeTransactions(pause: () => Promise<void> | null): void {
    this.pause = pause;
  }

  stats(): { commits: number; units: number; queuedGroups: number } {
    return { commits: this.commits, units: this.units, queuedGroups: this.queue.length };
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0) {
      const pause = this.pause();
      if (pause) await pause;
      await this.commitBatch(this.takeBatch());
    }
  }

  /** Whole groups, in order, until the batch holds about MAX_UNITS_PER_COMMIT units. */
  private takeBatch(): Group[] {
    let units = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || units < MAX_UNITS_PER_COMMIT)) {
      units += this.queue[count]?.works.length ?? 0;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /**
   * BEGIN IMMEDIATE … COMMIT by hand: units are async functions, and only this loop ever uses
   * the writer connection, so nothing else can interleave statements between their awaits.
   */
  private async commitBatch(batch: Group[]): Promise<void> {
    const results: Settled<unknown>[][] = [];
    try {
      this.exec("BEGIN IMMEDIATE");
      for (const group of batch) {
        const groupResults: Settled<unknown>[] = [];
        for (const work of group.works) groupResults.push(await this.inSavepoint(work));
        results.push(groupResults);
      }
      this.db.$client.beforeCommit.flush();
      this.exec("COMMIT");
    } catch (error) {
      // The commit itself failed: nothing in the batch is durable.
      this.db.$client.beforeCommit.clear();
      this.rollbackQuietly();
      this.log.error({ err: error, groups: batch.length }, "store commit failed");
      for (const group of batch) group.settle(group.works.map(() => ({ ok: false, error })));
      return;
    }
    this.commits++;
    batch.forEach((group, i) => {
      this.units += group.works.length;
      group.settle(results[i] ?? []);
    });
    for (const listener of this.commitListeners) listener();
  }

  private async inSavepoint(work: Work<unknown>): Promise<Settled<unknown>> {
    this.exec("SAVEPOINT unit");
    const held = this.db.$client.beforeCommit.mark();
    try {
      const value = await work(this.db);
      this.exec("RELEASE unit");
      return { ok: true, value };
    } catch (error) {
      this.db.$client.beforeCommit.rollbackTo(held);
      this.exec("ROLLBACK TO unit");
      this.exec("RELEASE unit");
      return { ok: false, error };
    }
  }

  /** Transaction control, straight to the connection (cached statements, no query building). */
  private exec(statement: string): void {
    this.db.$client.prepare(statement).run();
  }

  private rollbackQuietly(): void {
    try {
      this.exec("ROLLBACK");
    } catch {
      // no transaction was open
    }
  }
}
