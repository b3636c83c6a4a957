/**
 * Ingest through the mailbox facade in-process (parse + store + index, durable before the
 * promise resolves). Issue #3 targets: ≥ 1,000 messages/s of 10 KB into one account, ≥ 2,000/s
 * spread over 100 accounts.
 * Run: node_modules/.bin/bun bench/ingest.ts [messages] [concurrency]
 */
import { ChangeBus } from "../actors/bus.ts";
import { Mailboxes } from "../actors/mailboxes.ts";
import { insertGrant } from "../test/support/grant.ts";
import { openTempStore, quietLog } from "../test/support/store.ts";
import { machine, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 200);
const corpus = Array.from({ length: 500 }, (_, i) => benchMessage(i));

/** Bun has Node's per-thread CPU clock; the main thread is the one the writer runs on. */
const threadCpu = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage.bind(process);

/**
 * Wall-clock rate; CPU time per message, of the whole process and of the main thread (the one
 * the actors and the SQLite writer share, so the one that bounds throughput).
 */
async function run(accounts: number): Promise<{ rate: number; cpuUs: number; mainUs: number }> {
  const { store, cleanup } = await openTempStore();
  const mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000);
  const grants = await Promise.all(
    Array.from({ length: accounts }, () => insertGrant(store, undefined, 2 ** 40)),
  );
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = threadCpu();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const grant = grants[i % accounts];
        await mailboxes.append(grant!.grantId, { folderId: "inbox", raw: corpus[i % corpus.length]! });
      }
    }),
  );
  const rate = total / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const main1 = threadCpu();
  const mainUs = (main1.user - main0.user + main1.system - main0.system) / total;
  await mailboxes.shutdown();
  await cleanup();
  return { rate, cpuUs: (cpu.user + cpu.system) / total, mainUs };
}

const one = await run(1);
const hundred = await run(100);
report(`ingest, 10 KB messages (${machine()})`, {
  messages: total,
  "in flight": concurrency,
  "one account, messages/s": Math.round(one.rate),
  "one account, CPU µs per message": Math.round(one.cpuUs),
  "one account, main-thread CPU µs per message": Math.round(one.mainUs),
  "target ≥ 1,000/s": one.rate >= 1000 ? "met" : "NOT met",
  "100 accounts, messages/s": Math.round(hundred.rate),
  "100 accounts, CPU µs per message": Math.round(hundred.cpuUs),
  "100 accounts, main-thread CPU µs per message": Math.round(hundred.mainUs),
  "target ≥ 2,000/s": hundred.rate >= 2000 ? "met" : "NOT met",
});
