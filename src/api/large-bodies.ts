/**
 * Request bodies above the JSON limit (a message, base64 in JSON or multipart, up to the message
 * limit) are buffered whole, so only `max` of them are read at once. A request beyond that waits
 * for a turn without reading its body (its bytes wait in the socket, costing no memory) and gets a
 * 503 if none comes within `waitMs`.
 */
export class LargeBodies {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    private readonly waitMs = 30_000,
  ) {}

  /** A turn (call the returned release once done), or null when none came in time. */
  async acquire(): Promise<(() => void) | null> {
    if (this.inUse < this.max) return this.take();
    const turn = await new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(wake), 1);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(wake);
    });
    return turn ? this.take() : null;
  }

  private take(): () => void {
    this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      this.waiting.shift()?.();
    };
  }
}
