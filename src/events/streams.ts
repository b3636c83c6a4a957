/**
 * Wakes event-stream readers (GET /v3/events/stream) when the webhook dispatcher's tail reads new
 * events, and ends every stream at shutdown (an open stream would otherwise hold the HTTP server
 * open).
 */
export class EventStreams {
  private waiters = new Set<() => void>();
  private closers = new Set<() => void>();
  private closed = false;

  notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves at the next new events, after `ms`, or at shutdown, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  /** `close` runs at shutdown; the returned function unregisters it (the stream ended first). */
  register(close: () => void): () => void {
    if (this.closed) {
      close();
      return () => {};
    }
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get size(): number {
    return this.closers.size;
  }

  closeAll(): void {
    this.closed = true;
    for (const close of [...this.closers]) close();
    this.closers.clear();
    this.notify();
  }
}
