/**
 * Connected IMAP accounts (issue 18), against a private Dovecot on loopback (test/support/dovecot.ts):
 *   initial  — the initial sync of 10,000 messages (target ≥ 500 messages/s),
 *   latency  — a message APPENDed at the provider → its message.created webhook (target p99 < 2 s
 *              with IDLE),
 *   idle     — 200 connected grants synced and idling: RSS growth (target < 100 MB).
 * Each scenario runs in a process of its own. Run: node_modules/.bin/bun bench/connected-sync.ts
 * [initial|latency|idle] [count]
 */
import { chownSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { count, isNotNull } from "drizzle-orm";
import { providerSync } from "../src/store/schema.ts";
import { uniqueEmail } from "../test/api/helpers.ts";
import { fillMaildir } from "../test/connected/maildir-fill.ts";
import { connectedGrant, mail, PROVIDER_PASSWORD, syncFixture } from "../test/connected/sync-harness.ts";
import { machine, percentile, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const DAY_MS = 86_400_000;
const scenario = process.argv[2];
const n = Number(process.argv[3]) || undefined;

if (!scenario) {
  for (const name of ["initial", "latency", "idle"]) {
    const run = Bun.spawnSync([process.execPath, import.meta.path, name], {
      stdout: "inherit",
      stderr: "inherit",
    });
    if (run.exitCode !== 0) process.exit(run.exitCode ?? 1);
  }
  console.log(`\nmachine: ${machine()}`);
} else if (scenario === "initial") await initial(n ?? 10_000);
else if (scenario === "latency") await latency(n ?? 100);
else if (scenario === "idle") await idle(n ?? 200);
else throw new Error(`unknown scenario ${scenario}`);

async function initial(total: number): Promise<void> {
  const f = await syncFixture();
  try {
    const { grantId, user } = await connectedGrant(f);
    const now = Date.now();
    fillMaildir(
      f.dovecot,
      user,
      Array.from({ length: total }, (_, i) => ({
        raw: Buffer.from(benchMessage(i, 4_096)),
        internalDate: new Date(now - (i % 85) * DAY_MS - 60_000),
      })),
    );
    // Dovecot indexes the new files at their first SELECT: not the sync's cost.
    const warm = await f.dovecot.connectAs(user);
    await warm.mailboxOpen("INBOX");
    await warm.logout();
    const t0 = performance.now();
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, (d) => d.body.type === "grant.imap_sync_completed", 600_000);
    const seconds = (performance.now() - t0) / 1000;
    report(`initial sync of ${total} messages (4 KB) from the local Dovecot`, {
      "seconds to grant.imap_sync_completed": seconds.toFixed(2),
      "messages/s (target ≥ 500)": Math.round(total / seconds),
    });
  } finally {
    await f.stop();
  }
}

async function latency(samples: number): Promise<void> {
  const f = await syncFixture();
  try {
    const { grantId, user } = await connectedGrant(f);
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, (d) => d.body.type === "grant.imap_sync_completed", 30_000);
    await Bun.sleep(500);
    const provider = await f.dovecot.connectAs(user);
    const created = () => f.receiver.ofType("message.created").length;
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      await provider.append("INBOX", mail({ subject: `live ${i}` }));
      const appended = performance.now();
      const [arrival] = (
        await f.receiver.waitFor(i + 1, (d) => d.body.type === "message.created", 10_000)
      ).slice(i);
      latencies.push((arrival?.at ?? Number.NaN) - appended);
      await Bun.sleep(20);
    }
    await provider.logout();
    report(`provider APPEND → message.created webhook, IDLE, ${samples} messages one at a time`, {
      "p50 ms": percentile(latencies, 50).toFixed(1),
      "p99 ms (target < 2000)": percentile(latencies, 99).toFixed(1),
      "max ms": Math.max(...latencies).toFixed(1),
      "webhooks received": created(),
    });
  } finally {
    await f.stop();
  }
}

async function idle(grants: number): Promise<void> {
  const f = await syncFixture();
  try {
    const users = Array.from({ length: grants }, (_, i) => uniqueEmail(`idle-${i}`));
    addUsersAtOnce(f.dovecot.dir, users);
    await liftLoginLimit(f.dovecot);
    await Bun.sleep(1_200);
    const ids: string[] = [];
    for (const user of users) {
      fillMaildir(f.dovecot, user, [
        { raw: mail({ subject: "hello" }), internalDate: new Date(Date.now() - DAY_MS) },
      ]);
      ids.push((await connectedGrant(f, user, { skipUser: true })).grantId);
    }
    Bun.gc(true);
    await Bun.sleep(500);
    const before = process.memoryUsage().rss;
    for (const id of ids) f.t.server.connectedSync.start(id);
    const store = f.t.server.store;
    const completed = () =>
      store.read
        .select({ n: count() })
        .from(providerSync)
        .where(isNotNull(providerSync.initialCompletedAt))
        .get()?.n ?? 0;
    const t0 = performance.now();
    while (completed() < grants && performance.now() - t0 < 300_000) await Bun.sleep(250);
    await Bun.sleep(35_000); // every IDLE connection up, the last passes' kept connections closed
    Bun.gc(true);
    await Bun.sleep(500);
    const after = process.memoryUsage().rss;
    report(`${grants} connected grants synced and idling`, {
      "grants completed": completed(),
      "IDLE connections open": f.t.server.connectedSync.connections.idle,
      "seconds until all synced": ((performance.now() - t0) / 1000 - 35.5).toFixed(1),
      "RSS before (MB)": (before / 2 ** 20).toFixed(1),
      "RSS after (MB)": (after / 2 ** 20).toFixed(1),
      "RSS growth MB (target < 100)": ((after - before) / 2 ** 20).toFixed(1),
    });
  } finally {
    await f.stop();
  }
}

/**
 * Dovecot's imap-login keeps one process per TLS connection for its whole life, at most
 * default_process_limit (100) of them: 400 IDLE connections need more.
 */
async function liftLoginLimit(dovecot: { dir: string; stop(): Promise<void>; start(): Promise<void> }) {
  const conf = join(dovecot.dir, "dovecot.conf");
  writeFileSync(conf, `${readFileSync(conf, "utf8")}service imap-login {\n  process_limit = 1000\n}\n`);
  await dovecot.stop();
  await dovecot.start();
}

/** Many provider users in one write of the passwd-file (the harness's addUser waits a second each). */
function addUsersAtOnce(dir: string, users: string[]): void {
  const file = join(dir, "users");
  const lines = users.map((u) => `${u}:{PLAIN}${PROVIDER_PASSWORD}::::::`).join("\n");
  writeFileSync(file, `${readFileSync(file, "utf8")}${lines}\n`);
  const later = Math.floor(Date.now() / 1000) + 5;
  utimesSync(file, later, later);
  if (userInfo().uid === 0) {
    const id = (flag: string) => Number(Bun.spawnSync(["id", flag, "dovecot"]).stdout.toString().trim());
    chownSync(file, id("-u"), id("-g"));
  }
}
