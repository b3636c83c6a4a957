/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside a COMMIT,
 * on the writer's thread: every ~4 MB of WAL one commit also copied pages into the database file
 * and fsynced it, taking that commit from ~15 ms to ~40 ms (bench/ingest.ts), with everything
 * else on the main thread waiting. The writer turns it off (wal_autocheckpoint=0) and pokes this
 * after each commit. At most one checkpoint runs at a time, and they start at most every
 * MIN_INTERVAL_MS, so hot pages written by many commits are copied once.
 */
const MIN_INTERVAL_MS = 100;

/**
 * SQLite rewinds the WAL to its start only when a write transaction begins with every frame
 * already copied. Under sustained writes this thread never caught up (commits land while it
 * copies), and the WAL grew without bound: ~250 MB in 3 s of bench/ingest.ts, every frame an
 * append that allocates disk blocks. Past this length the writer waits, before its next
 * transaction, for one checkpoint that copies everything (beforeWrite); that transaction then
 * rewinds the WAL.
 */
const REWIND_AT_FRAMES = 8192; // 32 MB of 4 KB pages
/** The writer never waits longer than this for the thread (a stalled disk): it writes on, unrewound. */
const MAX_REWIND_WAIT_MS = 1000;
const CLOSE_WAIT_MS = 2000;

interface RewindWaiter {
  /** Resolved once this many checkpoints have finished. */
  afterPasses: number;
  resolve: () => void;
}

export class Checkpointer {
  private readonly worker: Worker;
  private running = true; // until the worker has opened its connection
  private failed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private lastStart = 0;
  private passes = 0;
  /** The WAL's length when the last checkpoint ran, and whether it copied all of it. */
  private walFrames = 0;
  private copiedAll = true;
  private rewindWaiters: RewindWaiter[] = [];
  private closeWaiters: (() => void)[] = [];
  private connectionClosed: (() => void) | null = null;

  /** `onFailure`: the thread died; the caller must checkpoint some other way. */
  constructor(
    path: string,
    onFailure: (error: Error) => void,
    private readonly rewindAtFrames = REWIND_AT_FRAMES,
  ) {
    // Referenced until it has opened its connection (`finished` unreferences it).
    this.worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url).href);
    this.worker.onmessage = (
      event: MessageEvent<{ walFrames: number; copied: number } | { closed: true }>,
    ) => {
      if ("closed" in event.data) return this.connectionClosed?.();
      this.walFrames = event.data.walFrames;
      this.copiedAll = event.data.copied >= event.data.walFrames;
      this.finished();
    };
    this.worker.onerror = (event) => {
      this.worker.terminate();
      this.failed = true;
      this.finished();
      onFailure(new Error(`checkpoint thread failed: ${event.message}`));
    };
    this.worker.postMessage({ path });
  }

  /** The writer committed: checkpoint soon. */
  poke(): void {
    if (this.failed) return;
    if (this.running || this.timer) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(0, this.lastStart + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.start(), wait);
    this.timer.unref();
  }

  /**
   * Called by the writer before it begins a transaction. When the WAL has grown long, returns a
   * checkpoint that starts after the writer's last commit, so it copies every frame; once it is
   * done, the writer's next transaction rewinds the WAL. The main thread is not blocked meanwhile,
   * only the next commit waits (a few ms: earlier checkpoints copied the rest). Not while a
   * reader keeps the checkpoints from copying everything: the WAL cannot be rewound then.
   */
  beforeWrite(): Promise<void> | null {
    if (this.failed || this.walFrames < this.rewindAtFrames || !this.copiedAll) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, MAX_REWIND_WAIT_MS);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // A checkpoint already running started before the last commit: the one after it is needed.
      this.rewindWaiters.push({ afterPasses: this.passes + (this.running ? 2 : 1), resolve: done });
      if (this.running) this.dirty = true;
      else this.startNow();
    });
  }

  /** Waits for a checkpoint in progress, then stops the thread (closing the database checkpoints). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = false;
    if (this.running) await new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    const alive = !this.failed;
    this.failed = true; // nothing starts any more
    this.releaseRewindWaiters();
    if (alive) await this.closeConnection();
    this.worker.terminate();
  }

  /** Has the thread close its connection (a dead or stuck thread is given up on after a while). */
  private closeConnection(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      this.connectionClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      this.worker.ref();
      this.worker.postMessage("close");
    });
  }

  private startNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.start();
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
    this.passes++;
    for (const resolve of this.closeWaiters.splice(0)) resolve();
    this.releaseRewindWaiters();
    if (this.rewindWaiters.length > 0) this.startNow();
    else if (this.dirty) this.poke();
  }

  /** Settles the writer's waits that are due (all of them once the thread is gone). */
  private releaseRewindWaiters(): void {
    const due = this.rewindWaiters.filter((w) => this.failed || w.afterPasses <= this.passes);
    if (due.length === 0) return;
    this.rewindWaiters = this.rewindWaiters.filter((w) => !due.includes(w));
    this.walFrames = 0; // rewound by the writer's next transaction; the next checkpoint tells
    for (const w of due) w.resolve();
  }
}
