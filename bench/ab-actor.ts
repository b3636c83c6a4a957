/**
 * The actor benchmark's two loads (1,000 concurrent appends; 1,000 concurrent one-message flag
 * changes) for two checkouts in ONE process, alternating which goes first: on a shared, noisy
 * machine both see the same noise, so their medians compare where separate runs do not.
 * Run: node_modules/.bin/bun bench/ab-actor.ts OLD_CHECKOUT NEW_CHECKOUT [rounds]
 * A checkout's facade is either `ask(grantId, kind, input)` or one method per command (before
 * issue 11); both are driven the same way.
 */
import { machine, median, report } from "./lib.ts";

const [oldDir, newDir] = process.argv.slice(2, 4);
if (!oldDir || !newDir) throw new Error("usage: bun bench/ab-actor.ts OLD_CHECKOUT NEW_CHECKOUT [rounds]");
const rounds = Number(process.argv[4] ?? 6);
const N = 1000;
const raw = new TextEncoder().encode(
  `Subject: bench\r\nMessage-ID: <b@bench>\r\n\r\n${"x".repeat(10_000)}\r\n`,
);

// Two checkouts' facades of different shapes.
type Facade = any;
interface Side {
  open(): Promise<{ mailboxes: Facade; grantId: string; close(): Promise<void> }>;
}

async function side(dir: string): Promise<Side> {
  const { ChangeBus } = await import(`${dir}/actors/bus.ts`);
  const { Mailboxes } = await import(`${dir}/actors/mailboxes.ts`);
  const { insertGrant } = await import(`${dir}/test/support/grant.ts`);
  const { openTempStore, quietLog } = await import(`${dir}/test/support/store.ts`);
  return {
    async open() {
      const { store, cleanup } = await openTempStore();
      const mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000);
      const { grantId } = await insertGrant(store, undefined, 2 ** 40);
      return {
        mailboxes,
        grantId,
        async close() {
          await mailboxes.shutdown();
          await cleanup();
        },
      };
    },
  };
}

function ask(mailboxes: Facade, grantId: string, kind: string, input: object): Promise<Facade> {
  return typeof mailboxes.ask === "function"
    ? mailboxes.ask(grantId, kind, input)
    : mailboxes[kind](grantId, input);
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function measure(s: Side, load: "append" | "flags"): Promise<{ rate: number; cpuUs: number }> {
  const { mailboxes, grantId, close } = await s.open();
  const append = () => ask(mailboxes, grantId, "append", { folderId: "inbox", raw });
  const seeded = await Promise.all(Array.from({ length: N }, append));
  const t0 = performance.now();
  const cpu0 = cpuMicros();
  await Promise.all(
    load === "append"
      ? Array.from({ length: N }, append)
      : seeded.map((m: { folderId: string; uid: number }) =>
          ask(mailboxes, grantId, "storeFlags", {
            folderId: m.folderId,
            uids: [m.uid],
            change: { mode: "add", flags: { seen: true } },
          }),
        ),
  );
  const result = { rate: N / ((performance.now() - t0) / 1000), cpuUs: (cpuMicros() - cpu0) / N };
  await close();
  return result;
}

const sides = { old: await side(oldDir), new: await side(newDir) };
const runs: Record<string, { rate: number[]; cpuUs: number[] }> = {};
for (let round = 0; round < rounds; round++) {
  for (const load of ["append", "flags"] as const) {
    for (const name of round % 2 ? (["new", "old"] as const) : (["old", "new"] as const)) {
      const r = await measure(sides[name], load);
      const key = `${load}, ${name}`;
      runs[key] ??= { rate: [], cpuUs: [] };
      runs[key].rate.push(r.rate);
      runs[key].cpuUs.push(r.cpuUs);
    }
  }
}
const figures: Record<string, string | number> = { rounds, "mutations per run": N };
for (const [key, r] of Object.entries(runs)) {
  figures[`${key}: median/s`] = Math.round(median(r.rate));
  figures[`${key}: CPU µs per mutation`] = Math.round(median(r.cpuUs));
}
for (const load of ["append", "flags"]) {
  const ratio = median(runs[`${load}, new`]!.rate) / median(runs[`${load}, old`]!.rate);
  figures[`${load}: new / old`] = ratio.toFixed(2);
}
report(`mailbox actor, two checkouts in one process (${machine()})`, figures);
