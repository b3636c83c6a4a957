/** When an endpoint's earliest retry is due, and the timer that wakes the endpoint then. */
export class RetryTimer {
  private dueAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `wake` runs once the retry is due; while `enabled()` is false the timer stays off. */
  constructor(
    private readonly wake: () => void,
    private readonly enabled: () => boolean,
  ) {}

  isDue(now: number): boolean {
    return this.dueAt !== null && this.dueAt <= now;
  }

  /** The earliest due time the store has (null: no retry waits). */
  set(at: number | null): void {
    this.dueAt = at;
    this.arm();
  }

  /** A retry was recorded for `at`: the timer moves only if that is sooner. */
  note(at: number): void {
    if (this.dueAt !== null && this.dueAt <= at) return;
    this.set(at);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.clear();
    if (this.dueAt === null || !this.enabled()) return;
    const delay = Math.min(Math.max(0, this.dueAt - Date.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delay);
  }
}
