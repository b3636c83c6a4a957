/**
 * Prepares messages (prepared-message.ts) on worker threads, so that the main thread, which runs
 * the actors and the single SQLite writer, spends its time writing rows. With one core there
 * are no workers and messages are prepared inline.
 *
 * Results are handed back in the order `prepare` was called, whichever worker finished first:
 * callers that prepare and then queue a command keep their order in the actor's queue.
 */
import { availableParallelism } from "node:os";
import { type PreparedMessage, prepareMessage } from "./prepared-message.ts";

interface Pending {
  id: number;
  slot: Slot;
  resolve: (m: PreparedMessage) => void;
  reject: (e: Error) => void;
  outcome: { prepared: PreparedMessage } | { error: Error } | null;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

type Reply = { id: number; prepared: PreparedMessage } | { id: number; error: string };

/** Workers beyond this bring nothing: the writer, not preparing, is the limit by then. */
const MAX_WORKERS = 4;

function defaultPrepareWorkers(): number {
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

export class PreparePool {
  private readonly slots: Slot[] = [];
  /** In call order; settled from the head as soon as the head has its outcome. */
  private readonly queue: Pending[] = [];
  private readonly byId = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly workers = defaultPrepareWorkers()) {}

  prepare(raw: Uint8Array): Promise<PreparedMessage> {
    if (this.workers === 0) {
      try {
        return Promise.resolve(prepareMessage(raw));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.closed) return Promise.reject(new Error("the prepare pool is closed"));
    return new Promise((resolve, reject) => {
      const slot = this.leastBusy();
      const pending: Pending = { id: this.nextId++, slot, resolve, reject, outcome: null };
      this.queue.push(pending);
      this.byId.set(pending.id, pending);
      this.busier(slot);
      // One copy into a buffer of its own, then moved: a Buffer may be a view into a larger pool.
      const copy = new Uint8Array(raw);
      slot.worker.postMessage({ id: pending.id, raw: copy }, [copy.buffer]);
    });
  }

  /** Stops the workers; whatever is still being prepared fails. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots.splice(0)) {
      this.fail(slot, new Error("the prepare pool is closed"));
      slot.worker.terminate();
    }
  }

  private leastBusy(): Slot {
    if (this.slots.length < this.workers) return this.spawn();
    let best = this.slots[0] as Slot;
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    return best;
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./prepare-worker.ts", import.meta.url).href);
    const slot: Slot = { worker, inFlight: 0 };
    worker.unref();
    worker.onmessage = (event: MessageEvent<Reply>) => this.settle(event.data);
    worker.onerror = (event) => {
      // The thread died: what it held fails, and the next prepare starts a new one.
      this.slots.splice(this.slots.indexOf(slot), 1);
      this.fail(slot, new Error(`message preparation failed: ${event.message}`));
      worker.terminate();
    };
    this.slots.push(slot);
    return slot;
  }

  /**
   * A worker is referenced only while it has work: idle, it must not keep the process alive;
   * busy, it must be (Bun polls, burning a core, while it awaits an unreferenced worker).
   */
  private busier(slot: Slot): void {
    if (slot.inFlight++ === 0) slot.worker.ref();
  }

  private idler(slot: Slot): void {
    if (--slot.inFlight === 0) slot.worker.unref();
  }

  private settle(reply: Reply): void {
    const pending = this.byId.get(reply.id);
    if (!pending) return;
    this.idler(pending.slot);
    pending.outcome = "prepared" in reply ? { prepared: reply.prepared } : { error: new Error(reply.error) };
    this.release();
  }

  private fail(slot: Slot, error: Error): void {
    for (const pending of this.queue) {
      if (pending.slot === slot && pending.outcome === null) {
        pending.outcome = { error };
        this.idler(slot);
      }
    }
    this.release();
  }

  private release(): void {
    while (this.queue[0]?.outcome) {
      const pending = this.queue.shift() as Pending;
      this.byId.delete(pending.id);
      const outcome = pending.outcome as NonNullable<Pending["outcome"]>;
      if ("prepared" in outcome) pending.resolve(outcome.prepared);
      else pending.reject(outcome.error);
    }
  }
}
