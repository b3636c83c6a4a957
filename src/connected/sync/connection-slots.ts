/**
 * A bound on concurrent provider connections: `acquire` waits for a free slot (FIFO). The sync
 * takes one per pass (so many grants syncing at once cannot open unbounded sockets) and one per
 * IDLE connection (`tryAcquire`: over the bound a grant is polled instead of idling).
 */
export class ConnectionSlots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.used >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    return this.releaser();
  }

  tryAcquire(): (() => void) | null {
    if (this.used >= this.limit) return null;
    this.used += 1;
    return this.releaser();
  }

  get inUse(): number {
    return this.used;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used -= 1;
    };
  }
}
