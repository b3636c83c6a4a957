import type { Logger } from "../src/log.ts";
import type { Settled } from "../src/store/writer.ts";

/** One message's result: the same shape as a store unit's (writer.ts), which it usually is. */
export type Outcome<R> = Settled<R>;

/**
 * An actor owns some state and handles its messages one batch at a time, in arrival order.
 * `handle` returns one outcome per message: a message that fails, fails alone. If `handle`
 * itself throws, the actor has crashed: the batch is failed, and the runtime calls `start`
 * again (state reloaded) before the next batch.
 */
export interface Actor<M, R> {
  start(): Promise<void>;
  handle(batch: M[]): Promise<Outcome<R>[]>;
  stop?(): void;
}

export interface ActorSystemOptions {
  log: Logger;
  /** Stop an actor that has had no message for this long (passivation). */
  idleMs: number;
  /** Most messages handed to one `handle` call (the actor commits them together). */
  maxBatch?: number;
}

interface Envelope<M, R> {
  message: M;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

interface Cell<M, R> {
  actor: Actor<M, R>;
  queue: Envelope<M, R>[];
  started: boolean;
  running: boolean;
  lastActive: number;
}

export class ActorStoppedError extends Error {
  constructor() {
    super("actor system is stopped");
  }
}

/** One actor per key, created on first message, stopped after idling, restarted after a crash. */
export class ActorSystem<K, M, R> {
  private cells = new Map<K, Cell<M, R>>();
  private sweeper: ReturnType<typeof setInterval>;
  private stopped = false;
  private readonly maxBatch: number;
  readonly stats = { started: 0, restarts: 0, passivated: 0 };

  constructor(
    private readonly create: (key: K) => Actor<M, R>,
    private readonly opts: ActorSystemOptions,
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.sweeper = setInterval(() => this.passivateIdle(), Math.max(10, Math.floor(opts.idleMs / 2)));
    this.sweeper.unref();
  }

  /** Sends a message and waits for its reply. */
  ask(key: K, message: M): Promise<R> {
    if (this.stopped) return Promise.reject(new ActorStoppedError());
    return new Promise<R>((resolve, reject) => {
      const cell = this.cellFor(key);
      cell.queue.push({ message, resolve, reject });
      cell.lastActive = Date.now();
      if (!cell.running) {
        cell.running = true;
        queueMicrotask(() => void this.run(key, cell));
      }
    });
  }

  get size(): number {
    return this.cells.size;
  }

  isActive(key: K): boolean {
    return this.cells.has(key);
  }

  /** Stops one actor once its queued messages are handled (e.g. its grant was deleted). */
  async remove(key: K): Promise<void> {
    const cell = this.cells.get(key);
    if (!cell) return;
    while (cell.running) await Bun.sleep(1);
    this.cells.delete(key);
    cell.actor.stop?.();
  }

  /** Refuses new messages, waits for every queued one, stops every actor. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const key of [...this.cells.keys()]) await this.remove(key);
  }

  private cellFor(key: K): Cell<M, R> {
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { actor: this.create(key), queue: [], started: false, running: false, lastActive: Date.now() };
      this.cells.set(key, cell);
    }
    return cell;
  }

  private async run(key: K, cell: Cell<M, R>): Promise<void> {
    while (cell.queue.length > 0) {
      const batch = cell.queue.splice(0, this.maxBatch);
      if (!(await this.ensureStarted(key, cell, batch))) continue;
      let outcomes: Outcome<R>[];
      try {
        outcomes = await cell.actor.handle(batch.map((e) => e.message));
      } catch (error) {
        this.opts.log.error({ err: error, key: String(key) }, "actor crashed; restarting");
        this.stats.restarts++;
        cell.started = false;
        for (const e of batch) e.reject(error);
        continue;
      }
      batch.forEach((e, i) => {
        const outcome = outcomes[i];
        if (!outcome) e.reject(new Error("actor returned no outcome"));
        else if (outcome.ok) e.resolve(outcome.value);
        else e.reject(outcome.error);
      });
    }
    cell.running = false;
    cell.lastActive = Date.now();
  }

  private async ensureStarted(key: K, cell: Cell<M, R>, batch: Envelope<M, R>[]): Promise<boolean> {
    if (cell.started) return true;
    try {
      await cell.actor.start();
      cell.started = true;
      this.stats.started++;
      return true;
    } catch (error) {
      this.opts.log.error({ err: error, key: String(key) }, "actor failed to start");
      for (const e of batch) e.reject(error);
      return false;
    }
  }

  private passivateIdle(): void {
    const cutoff = Date.now() - this.opts.idleMs;
    for (const [key, cell] of this.cells) {
      if (!cell.running && cell.queue.length === 0 && cell.lastActive <= cutoff) {
        this.cells.delete(key);
        cell.actor.stop?.();
        this.stats.passivated++;
      }
    }
  }
}
