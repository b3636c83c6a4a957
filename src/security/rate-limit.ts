/**
 * Counts failures per key in a sliding window. Used for authentication: after `max` failures
 * within `windowMs`, the key is blocked until the oldest failure leaves the window.
 */
export class FailureLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the key may try again; 0 when it is not blocked. */
  blockedFor(key: string, now = Date.now()): number {
    const list = this.prune(key, now);
    if (list.length < this.max) return 0;
    return (list[0] ?? now) + this.windowMs - now;
  }

  fail(key: string, now = Date.now()): void {
    const list = this.prune(key, now);
    list.push(now);
    this.failures.set(key, list);
    if (this.failures.size > 100_000) this.sweep(now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const list = this.failures.get(key) ?? [];
    while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private sweep(now: number): void {
    for (const key of this.failures.keys()) this.prune(key, now);
  }
}
