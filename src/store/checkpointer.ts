/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside a COMMIT,
 * on the writer's thread: every ~4 MB of WAL one commit also copied pages into the database file
 * and fsynced it, taking that commit from ~15 ms to ~40 ms (bench/ingest.ts), with everything
 * else on the main thread waiting. The writer turns it off (wal_autocheckpoint=0) and pokes this
 * after each commit. At most one checkpoint runs at a time, and they start at most every
 * MIN_INTERVAL_MS, so hot pages written by many commits are copied once.
 */
const MIN_INTERVAL_MS = 100;

export class Checkpointer {
  private readonly worker: Worker;
  private running = true; // until the worker has opened its connection
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private lastStart = 0;
  private waiters: (() => void)[] = [];

  /** `onFailure`: the thread died; the caller must checkpoint some other way. */
  constructor(path: string, onFailure: (error: Error) => void) {
    // Referenced until it has opened its connection (`finished` unreferences it).
    this.worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url).href);
    this.worker.onmessage = () => this.finished();
    this.worker.onerror = (event) => {
      this.worker.terminate();
      this.finished();
      this.poke = () => {};
      onFailure(new Error(`checkpoint thread failed: ${event.message}`));
    };
    this.worker.postMessage({ path });
  }

  /** The writer committed: checkpoint soon. */
  poke(): void {
    if (this.running || this.timer) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(0, this.lastStart + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.start(), wait);
    this.timer.unref();
  }

  /** Waits for a checkpoint in progress, then stops the thread (closing the database checkpoints). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = false;
    if (this.running) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.worker.terminate();
  }

  private start(): void {
    this.timer = null;
    this.dirty = false;
    this.running = true;
    this.lastStart = Date.now();
    // Referenced while it works: Bun polls, burning a core, while it awaits an unreferenced worker.
    this.worker.ref();
    this.worker.postMessage("checkpoint");
  }

  private finished(): void {
    this.worker.unref();
    this.running = false;
    for (const resolve of this.waiters.splice(0)) resolve();
    if (this.dirty) this.poke();
  }
}
