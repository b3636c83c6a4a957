/**
 * Drops a hit repeated within `windowMs` (a mail client fetching a pixel twice as it renders, a
 * double click): the same token, kind, link and client count once. Bounded: past `max` keys the
 * oldest half is forgotten.
 */
export class HitFilter {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 2000,
    private readonly max = 10_000,
  ) {}

  /** Whether this hit is new (and remembers it). */
  admit(key: string, nowMs = Date.now()): boolean {
    const last = this.#seen.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.#seen.delete(key);
    this.#seen.set(key, nowMs);
    if (this.#seen.size > this.max) {
      let drop = this.#seen.size - this.max / 2;
      for (const k of this.#seen.keys()) {
        if (drop-- <= 0) break;
        this.#seen.delete(k);
      }
    }
    return true;
  }
}
