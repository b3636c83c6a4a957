/**
 * Writes held back until just before the open transaction commits, then run in order outside
 * every unit's savepoint. The search index needs this: FTS5 flushes its pending changes to disk
 * at every savepoint boundary, so indexing a message inside its own unit wrote (and later merged)
 * one tiny index segment per message, ~125 µs each. Held here, a batch's index changes become one
 * segment. A unit that rolls back drops what it held.
 */
export class BeforeCommitWrites {
  private pending: (() => void)[] = [];

  /** Queues `write` for the commit of the open transaction; `write` runs at once outside one. */
  hold(inTransaction: boolean, write: () => void): void {
    if (inTransaction) this.pending.push(write);
    else write();
  }

  /** A position to roll back to when a unit fails. */
  mark(): number {
    return this.pending.length;
  }

  rollbackTo(mark: number): void {
    this.pending.length = mark;
  }

  /** Runs everything held, in order; a throw propagates and fails the whole transaction. */
  flush(): void {
    const writes = this.pending;
    this.pending = [];
    for (const write of writes) write();
  }

  clear(): void {
    this.pending = [];
  }
}
