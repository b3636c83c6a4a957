/**
 * bcrypt on worker threads. One comparison at cost 10 is ~80 ms of CPU; on the main thread that
 * stalled every listener for as long per login attempt (40 concurrent wrong logins: 3 s). The
 * main thread only posts the job and waits.
 *
 * One thread per core beyond the first, at least one, at most two: logins are rate-limited, so
 * more threads would only let a burst of them take more of the machine.
 */
import { availableParallelism } from "node:os";

type CompareJob = { op: "compare"; password: string; hash: string };
type HashJob = { op: "hash"; password: string; cost: number };
export type BcryptJob = (CompareJob | HashJob) & { id: number };

export type BcryptReply = { id: number; result: boolean | string } | { id: number; error: string };

interface Slot {
  worker: Worker;
  inFlight: Set<number>;
}

interface Pending {
  slot: Slot;
  resolve: (result: boolean | string) => void;
  reject: (error: Error) => void;
}

export class BcryptPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly workers = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  compare(password: string, hash: string): Promise<boolean> {
    return this.run({ op: "compare", password, hash }) as Promise<boolean>;
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ op: "hash", password, cost }) as Promise<string>;
  }

  /** Jobs handed out and not yet answered (a gauge for tests and benchmarks). */
  get busy(): number {
    return this.pending.size;
  }

  private run(input: CompareJob | HashJob): Promise<boolean | string> {
    return new Promise((resolve, reject) => {
      const slot = this.leastBusy();
      const id = this.nextId++;
      this.pending.set(id, { slot, resolve, reject });
      // Referenced only while it has work: an idle pool must not keep the process alive.
      if (slot.inFlight.size === 0) slot.worker.ref();
      slot.inFlight.add(id);
      slot.worker.postMessage({ ...input, id });
    });
  }

  private leastBusy(): Slot {
    if (this.slots.length < this.workers) return this.spawn();
    let best = this.slots[0] as Slot;
    for (const slot of this.slots) if (slot.inFlight.size < best.inFlight.size) best = slot;
    return best;
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./bcrypt-worker.ts", import.meta.url).href);
    const slot: Slot = { worker, inFlight: new Set() };
    worker.unref();
    worker.onmessage = (event: MessageEvent<BcryptReply>) => this.settle(slot, event.data);
    worker.onerror = (event) => {
      // The thread died: its jobs fail, and the next job starts a new one.
      this.slots.splice(this.slots.indexOf(slot), 1);
      for (const id of [...slot.inFlight])
        this.take(slot, id)?.reject(new Error(`bcrypt failed: ${event.message}`));
      worker.terminate();
    };
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, reply: BcryptReply): void {
    const pending = this.take(slot, reply.id);
    if (!pending) return;
    if ("error" in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply.result);
  }

  private take(slot: Slot, id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    slot.inFlight.delete(id);
    if (slot.inFlight.size === 0) slot.worker.unref();
    return pending;
  }
}

/** The process's pool: every app-password hash and comparison goes through it. */
export const bcryptPool = new BcryptPool();
