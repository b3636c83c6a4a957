/** An endpoint's attempts under way: first attempts and retries share its concurrency. */
export class InFlight {
  private firstAttempts = 0;
  private readonly retries = new Set<number>();
  private readonly work = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  get count(): number {
    return this.firstAttempts + this.retries.size;
  }

  /** The event seqs being retried. */
  get retrying(): ReadonlySet<number> {
    return this.retries;
  }

  /** Aborts the requests under way. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  startFirst(): void {
    this.firstAttempts++;
  }

  startRetry(seq: number): void {
    this.retries.add(seq);
  }

  finish(attempt: { seq: number; isRetry: boolean }): void {
    if (attempt.isRetry) this.retries.delete(attempt.seq);
    else this.firstAttempts--;
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
