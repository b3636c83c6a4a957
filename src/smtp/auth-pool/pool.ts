/**
 * Worker threads for message authentication: mailauth's SPF/DKIM/DMARC/ARC checks of inbound
 * mail and DKIM signing of outbound mail. Their parsers' worst cases (mailauth's header parsing
 * is quadratic in folded lines) and the hashing of large bodies then cost a pool thread, never
 * the event loop every listener shares. At least one thread, even on one core.
 *
 * A thread's DNS questions come back here and are answered by the resolver the caller passed, so
 * one resolver and its cache serve every thread. A job that runs longer than `jobTimeoutMs` fails,
 * and its thread is replaced (what else it held fails too: verification then stores the message
 * as unverified, signing is retried by the delivery queue).
 */
import { availableParallelism } from "node:os";
import type { DNSResolver } from "mailauth";
import type { Verification, VerifyInput } from "../auth-verdict.ts";
import type { DkimKey } from "../outbound/dkim-signer.ts";
import type { FromWorker, Job, ToWorker } from "./messages.ts";

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  slot: Slot;
  resolver: DNSResolver | null;
  settle: (outcome: FromWorker) => void;
  fail: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Two threads at most: each runs many jobs at once while they wait for DNS. */
function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class AuthPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly threads = defaultThreads(),
    private readonly jobTimeoutMs = 60_000,
  ) {}

  verify(raw: Uint8Array, input: VerifyInput): Promise<Verification> {
    const { resolver, ...rest } = input;
    return this.run((id, copy) => ({ kind: "verify", id, raw: copy, input: rest }), raw, resolver).then(
      (outcome) => {
        if (outcome.kind !== "verified") throw new Error(`unexpected answer ${outcome.kind}`);
        return outcome.verification;
      },
    );
  }

  /** The DKIM-Signature field for the message (dkim-signer.ts), computed on a pool thread. */
  sign(raw: Uint8Array, key: DkimKey): Promise<string> {
    return this.run((id, copy) => ({ kind: "sign", id, raw: copy, key }), raw, null).then((outcome) => {
      if (outcome.kind !== "signed") throw new Error(`unexpected answer ${outcome.kind}`);
      return outcome.field;
    });
  }

  private run(
    job: (id: number, copy: Uint8Array) => Job,
    raw: Uint8Array,
    resolver: DNSResolver | null,
  ): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const slot = this.leastBusy();
      const timer = setTimeout(() => this.timedOut(id), this.jobTimeoutMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (--slot.inFlight === 0) slot.worker.unref();
      };
      this.pending.set(id, {
        slot,
        resolver,
        timer,
        settle: (outcome) => {
          done();
          if (outcome.kind === "failed") reject(new Error(outcome.error));
          else resolve(outcome);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
      // Referenced only while it has work: idle, a thread must not keep the process alive.
      if (slot.inFlight++ === 0) slot.worker.ref();
      // One copy into a buffer of its own, then moved: a Buffer may be a view into a larger pool.
      const copy = new Uint8Array(raw);
      slot.worker.postMessage(job(id, copy), [copy.buffer]);
    });
  }

  private leastBusy(): Slot {
    if (this.slots.length < this.threads) return this.spawn();
    let best = this.slots[0] as Slot;
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    return best;
  }

  private spawn(): Slot {
    // A small heap: mailauth churns through short-lived strings, collected sooner this way.
    const worker = new Worker(new URL("./worker.ts", import.meta.url).href, { smol: true });
    const slot: Slot = { worker, inFlight: 0 };
    worker.unref();
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(slot, event.data);
    worker.onerror = (event) =>
      this.replace(slot, new Error(`authentication thread failed: ${event.message}`));
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, message: FromWorker): void {
    const job = this.pending.get(message.id);
    if (!job) return;
    if (message.kind !== "dns") {
      job.settle(message);
      return;
    }
    const answer = (reply: ToWorker) => slot.worker.postMessage(reply);
    if (!job.resolver) {
      answer({ kind: "dns", question: message.question, error: { code: "ENOTIMP", message: "no resolver" } });
      return;
    }
    job.resolver(message.name, message.rrtype).then(
      (value) => answer({ kind: "dns", question: message.question, value }),
      (err: Error & { code?: string }) =>
        answer({ kind: "dns", question: message.question, error: { code: err.code, message: err.message } }),
    );
  }

  private timedOut(id: number): void {
    const job = this.pending.get(id);
    if (!job) return;
    this.replace(job.slot, new Error(`authentication checks took longer than ${this.jobTimeoutMs / 1000} s`));
  }

  /** Ends a thread and fails what it held; the next job starts a new one. */
  private replace(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.worker.terminate();
    for (const job of [...this.pending.values()]) if (job.slot === slot) job.fail(error);
  }
}

let shared: AuthPool | null = null;

/** The process's pool, started on first use (its threads idle unreferenced). */
export function sharedAuthPool(): AuthPool {
  shared ??= new AuthPool();
  return shared;
}
