/**
 * One grant's actor under 1,000 concurrent mutations (issue #2 target: every one committed, no
 * duplicate UID, ≥ 2,000 committed mutations/s with group commit). Compares batching within the
 * actor (up to 256 commands per transaction) with one command per transaction.
 * Run: node_modules/.bin/bun bench/actor.ts [rounds]
 */
import { ChangeBus } from "../actors/bus.ts";
import { Mailboxes } from "../actors/mailboxes.ts";
import { insertGrant } from "../test/support/grant.ts";
import { openTempStore, quietLog } from "../test/support/store.ts";
import { machine, median, report } from "./lib.ts";

const rounds = Number(process.argv[2] ?? 5);
const N = 1000;
const raw = new TextEncoder().encode(
  `Subject: bench\r\nMessage-ID: <b@bench>\r\n\r\n${"x".repeat(10_000)}\r\n`,
);

async function run(maxBatch: number, kind: "append" | "flags"): Promise<number> {
  const { store, cleanup } = await openTempStore();
  const mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000, { maxBatch });
  const { grantId } = await insertGrant(store, undefined, 2 ** 40);
  const seeded = await Promise.all(
    Array.from({ length: N }, () => mailboxes.ask(grantId, "append", { folderId: "inbox", raw })),
  );
  const t0 = performance.now();
  const replies =
    kind === "append"
      ? await Promise.all(
          Array.from({ length: N }, () => mailboxes.ask(grantId, "append", { folderId: "inbox", raw })),
        )
      : await Promise.all(
          seeded.map((m) =>
            mailboxes.ask(grantId, "storeFlags", {
              folderId: m.folderId,
              uids: [m.uid],
              change: { mode: "add", flags: { seen: true } },
            }),
          ),
        );
  const seconds = (performance.now() - t0) / 1000;
  if (kind === "append") {
    const uids = new Set((replies as { uid: number }[]).map((r) => r.uid));
    if (uids.size !== N) throw new Error(`duplicate UIDs: ${N - uids.size}`);
  }
  await mailboxes.shutdown();
  await cleanup();
  return N / seconds;
}

const results: Record<string, number[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const [label, batch, kind] of [
    ["append 10 KB, batched", 256, "append"],
    ["append 10 KB, one per transaction", 1, "append"],
    ["set flag, batched", 256, "flags"],
    ["set flag, one per transaction", 1, "flags"],
  ] as const) {
    results[label] = [...(results[label] ?? []), await run(batch, kind)];
  }
}
const rows: Record<string, string | number> = { "concurrent mutations per run": N, rounds };
for (const [label, values] of Object.entries(results))
  rows[`${label}, median/s`] = Math.round(median(values));
const batched = median(results["append 10 KB, batched"] ?? []);
rows["batched / unbatched (append)"] = (
  batched / median(results["append 10 KB, one per transaction"] ?? [])
).toFixed(1);
rows["target ≥ 2,000/s batched"] = batched >= 2000 ? "met" : "NOT met";
report(`mailbox actor, one grant (${machine()})`, rows);
