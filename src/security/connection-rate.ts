import { addressKey } from "./address-key.ts";

/** A connection over its address's rate waits this long for its refusal (bounded below). */
const REFUSAL_DELAY_MS = 2000;
const MAX_HELD_REFUSALS = 1000;

/**
 * New connections per client address, as a token bucket: `burst` at once, then `perSecond` on
 * average. A client that is refused and reconnects in a loop (each TLS handshake costs the
 * event loop ~1 ms) is held to the rate, whatever it does; one that opens a few connections now
 * and then never meets it. `perSecond` 0 turns the limit off.
 */
export class ConnectionRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** How refusals are answered: late, so that a reconnect loop slows down. */
  readonly refusals = new RefusalDelay(REFUSAL_DELAY_MS, MAX_HELD_REFUSALS);

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    /** Addresses tracked at most; past it, the buckets that have refilled are forgotten. */
    private readonly maxTracked = 100_000,
  ) {}

  /** Takes a token for a new connection from `address` (an IPv6 one by its /64); false when none is left. */
  admit(address: string): boolean {
    if (this.perSecond <= 0) return true;
    const key = addressKey(address);
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, { tokens: this.burst - 1, at: now });
      if (this.buckets.size > this.maxTracked) this.forgetRefilled(now);
      return true;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Addresses with a bucket (for tests and metrics). */
  get tracked(): number {
    return this.buckets.size;
  }

  private forgetRefilled(now: number): void {
    const fullAfterMs = (this.burst / this.perSecond) * 1000;
    for (const [key, b] of this.buckets) if (now - b.at >= fullAfterMs) this.buckets.delete(key);
  }
}

/**
 * A refused connection is answered late: held silent for `delayMs`, then closed (or told why).
 * A client reconnecting in a loop waits that long per attempt instead of retrying at once (each
 * retry of an implicit-TLS client costs the server a handshake). At most `maxHeld` wait at once;
 * past that, refusals are immediate, so the held sockets stay bounded.
 */
export class RefusalDelay {
  private held = 0;

  constructor(
    readonly delayMs: number,
    readonly maxHeld: number,
  ) {}

  /** Runs `refuse` after the delay (at once when too many are already held). */
  refuse(refuse: () => void): void {
    if (this.delayMs <= 0 || this.held >= this.maxHeld) {
      refuse();
      return;
    }
    this.held++;
    const timer = setTimeout(() => {
      this.held--;
      refuse();
    }, this.delayMs);
    timer.unref?.();
  }

  get holding(): number {
    return this.held;
  }
}
