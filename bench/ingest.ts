/**
 * Ingest through the mailbox facade in-process (prepare + store + index, durable before the
 * promise resolves). Issue #3 targets: ≥ 1,000 messages/s of 10 KB into one account, ≥ 2,000/s
 * spread over 100 accounts.
 *
 * Each scenario runs in a process of its own (a server does not carry another run's heap and
 * threads), and first stores WARM_UP uncounted messages (JIT of both threads, page cache).
 * Run: node_modules/.bin/bun bench/ingest.ts [messages] [concurrency]
 */
import { ChangeBus } from "../actors/bus.ts";
import { Mailboxes } from "../actors/mailboxes.ts";
import { insertGrant } from "../test/support/grant.ts";
import { openTempStore, quietLog } from "../test/support/store.ts";
import { machine, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const WARM_UP = 500;

interface Result {
  rate: number;
  /** CPU µs per message: every thread of the process, and the main thread alone. */
  cpuUs: number;
  mainUs: number;
}

/** Bun has Node's per-thread CPU clock; the main thread is the one the writer runs on. */
const threadCpu = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage.bind(process);
const micros = (u: NodeJS.CpuUsage) => u.user + u.system;

async function scenario(accounts: number, total: number, concurrency: number): Promise<Result> {
  const corpus = Array.from({ length: 500 }, (_, i) => benchMessage(i));
  const { store, cleanup } = await openTempStore();
  const mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000);
  const grants = await Promise.all(
    Array.from({ length: accounts }, () => insertGrant(store, undefined, 2 ** 40)),
  );
  const ingest = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          const grant = grants[i % accounts];
          await mailboxes.ask(grant!.grantId, "append", {
            folderId: "inbox",
            raw: corpus[i % corpus.length]!,
          });
        }
      }),
    );
  };
  await ingest(WARM_UP);
  const t0 = performance.now();
  const cpu0 = micros(process.cpuUsage());
  const main0 = micros(threadCpu());
  await ingest(total);
  const result = {
    rate: total / ((performance.now() - t0) / 1000),
    cpuUs: (micros(process.cpuUsage()) - cpu0) / total,
    mainUs: (micros(threadCpu()) - main0) / total,
  };
  await mailboxes.shutdown();
  await cleanup();
  return result;
}

/** Runs one scenario in a child process (this file with `--scenario`) and reads its result. */
async function inChild(accounts: number, total: number, concurrency: number): Promise<Result> {
  const child = Bun.spawn(
    [process.execPath, import.meta.path, "--scenario", String(accounts), String(total), String(concurrency)],
    { stdout: "pipe", stderr: "inherit" },
  );
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`scenario with ${accounts} accounts failed`);
  return JSON.parse(out) as Result;
}

if (process.argv[2] === "--scenario") {
  const [accounts, total, concurrency] = process.argv.slice(3).map(Number);
  console.log(JSON.stringify(await scenario(accounts!, total!, concurrency!)));
} else {
  const total = Number(process.argv[2] ?? 5000);
  const concurrency = Number(process.argv[3] ?? 200);
  const one = await inChild(1, total, concurrency);
  const hundred = await inChild(100, total, concurrency);
  report(`ingest, 10 KB messages (${machine()})`, {
    messages: `${total} (after ${WARM_UP} uncounted)`,
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
}
