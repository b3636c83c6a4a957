/**
 * An auth-pool thread (pool.ts): runs mailauth's checks and DKIM signing. DNS look-ups go back to
 * the main thread, whose resolver (AGENTBOX_DNS_SERVER, cached) answers them.
 */
import type { DNSResolver } from "mailauth";
import { checkMessage } from "../mailauth-check.ts";
import { dkimSignatureField } from "../outbound/dkim-signer.ts";
import type { FromWorker, Job, ToWorker } from "./messages.ts";

declare const self: Worker;

const questions = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextQuestion = 0;

const post = (message: FromWorker) => self.postMessage(message);

function resolverFor(id: number): DNSResolver {
  const ask = (name: string, rrtype: string) =>
    new Promise<unknown>((resolve, reject) => {
      const question = nextQuestion++;
      questions.set(question, { resolve, reject });
      post({ kind: "dns", id, question, name, rrtype });
    });
  return ask as DNSResolver;
}

let running = 0;

async function run(job: Job): Promise<void> {
  running++;
  try {
    if (job.kind === "verify") {
      const verification = await checkMessage(job.raw, { ...job.input, resolver: resolverFor(job.id) });
      post({ kind: "verified", id: job.id, verification });
    } else {
      post({ kind: "signed", id: job.id, field: dkimSignatureField(job.raw, job.key) });
    }
  } catch (error) {
    post({ kind: "failed", id: job.id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    running--;
    // mailauth's header parsing leaves garbage quadratic in folded lines (a 100 KB header: over
    // a gigabyte of short-lived strings); collected now, the thread's heap does not stay grown.
    if (running === 0) Bun.gc(true);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.kind !== "dns") {
    void run(message);
    return;
  }
  const pending = questions.get(message.question);
  if (!pending) return;
  questions.delete(message.question);
  if ("error" in message) {
    pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
  } else {
    pending.resolve(message.value);
  }
};
