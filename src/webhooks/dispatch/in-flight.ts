/** An endpoint's attempts under way: first attempts and retries share its concurrency. */
export class InFlight {
  firstAttempts = 0;
  /** The event seqs being retried. */
  readonly retries = new Set<number>();
  private readonly work = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  get count(): number {
    return this.firstAttempts + this.retries.size;
  }

  /** Aborts the requests under way. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Keeps `work` until it settles; `crashed` hears of it if it throws. */
  track(work: Promise<void>, crashed: (err: unknown) => void): void {
    const tracked = work.catch(crashed);
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
  }

  /** Resolves once everything under way now has settled. */
  settled(): Promise<unknown> {
    return Promise.allSettled(this.work);
  }

  abort(): void {
    this.controller.abort();
  }
}
