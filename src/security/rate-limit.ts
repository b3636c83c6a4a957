/**
 * Limits authentication attempts per key (a client address, an account) over a sliding window.
 *
 * An attempt holds a slot from the moment it starts: with `max` failures in the window, or
 * failures plus attempts still being checked reaching `max`, no further attempt is checked. So
 * however many arrive at once, at most `max` wrong ones are ever checked per window. An attempt
 * that finds every slot held by attempts still being checked waits for one of them to end
 * instead of being refused (a mail client opening ten connections at once is not an attack); one
 * that finds `max` failures is refused at once. A success frees only its own slot: logging in to
 * one account never clears the count that limits guessing of another.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly checking = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until the key's failures let it try again; 0 when they do not block it. */
  blockedFor(key: string, now = Date.now()): number {
    const list = this.prune(key, now);
    if (list.length < this.max) return 0;
    return (list[0] ?? now) + this.windowMs - now;
  }

  /** A slot is free: failures and attempts being checked are under `max`. */
  hasRoom(key: string, now = Date.now()): boolean {
    return this.prune(key, now).length + (this.checking.get(key) ?? 0) < this.max;
  }

  /** Takes a slot (after `hasRoom`); `end` gives it back. */
  start(key: string): void {
    this.checking.set(key, (this.checking.get(key) ?? 0) + 1);
  }

  /** The attempt is over; a failure keeps its slot for the window. */
  end(key: string, failed: boolean, now = Date.now()): void {
    const n = (this.checking.get(key) ?? 1) - 1;
    if (n > 0) this.checking.set(key, n);
    else this.checking.delete(key);
    if (failed) {
      const list = this.prune(key, now);
      list.push(now);
      this.failures.set(key, list);
      if (this.failures.size > 100_000) this.sweep(now);
    }
    const waiters = this.waiting.get(key);
    this.waiting.delete(key);
    for (const wake of waiters ?? []) wake();
  }

  /** Resolves when an attempt on `key` ends. */
  nextEnd(key: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiting.get(key) ?? [];
      list.push(resolve);
      this.waiting.set(key, list);
    });
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

/** An attempt admitted by every limit it counts against, or refused by one of them. */
export type Admission =
  | { admitted: true /** Exactly once: whether the credentials were right. */; end(succeeded: boolean): void }
  | { admitted: false; retryAfterMs: number };

/**
 * Admits an attempt once no limit blocks its keys and each has a free slot, taking a slot in all
 * of them at once. A refused attempt takes nothing: it checked nothing.
 */
export async function admitAttempt(checks: readonly [AttemptLimiter, string][]): Promise<Admission> {
  for (;;) {
    const now = Date.now();
    const wait = Math.max(0, ...checks.map(([limiter, key]) => limiter.blockedFor(key, now)));
    if (wait > 0) return { admitted: false, retryAfterMs: wait };
    const full = checks.find(([limiter, key]) => !limiter.hasRoom(key, now));
    if (full) {
      await full[0].nextEnd(full[1]);
      continue;
    }
    for (const [limiter, key] of checks) limiter.start(key);
    let ended = false;
    return {
      admitted: true,
      end(succeeded) {
        if (ended) return;
        ended = true;
        for (const [limiter, key] of checks) limiter.end(key, !succeeded);
      },
    };
  }
}
