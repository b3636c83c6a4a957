/**
 * Provisioning (issue #2 targets): 10,000 accounts through POST /v3/connect/custom without app
 * passwords in < 60 s; RSS < 150 MB once every actor has been activated and passivated; the rate
 * with app passwords (bcrypt cost 10). The server runs in this process (RSS includes the load
 * generator, so it is an upper bound).
 * Run: node_modules/.bin/bun bench/provision.ts [accounts] [concurrency]
 */
import { api, startTestServer } from "../test/support/server.ts";
import { machine, report } from "./lib.ts";

const accounts = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 64);
const t = await startTestServer({ AGENTBOX_ACTOR_IDLE_MS: "500" });

async function provision(
  count: number,
  prefix: string,
  password?: string,
): Promise<{ ms: number; ids: string[] }> {
  const ids: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const settings: Record<string, string> = { email: `${prefix}${i}@agents.localhost` };
        if (password) settings.app_password = password;
        const res = await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings });
        if (res.status !== 201) throw new Error(`account ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        ids.push(res.body.data.id);
      }
    }),
  );
  return { ms: performance.now() - t0, ids };
}

const plain = await provision(accounts, "bench");
const raw = new TextEncoder().encode("Subject: hello\r\nMessage-ID: <1@bench>\r\n\r\nhi\r\n");
const t1 = performance.now();
for (let i = 0; i < plain.ids.length; i += 500) {
  await Promise.all(
    plain.ids.slice(i, i + 500).map((id) => t.server.mailboxes.ask(id, "append", { folderId: "inbox", raw })),
  );
}
const activateMs = performance.now() - t1;
const peakActors = t.server.mailboxes.system.size;
while (t.server.mailboxes.system.size > 0) await Bun.sleep(100);
Bun.gc(true);
await Bun.sleep(200);
const rss = process.memoryUsage.rss();

const withPasswords = await provision(Math.min(200, accounts), "pw", "MySecureP4ssword!2024");
report(`provisioning (${machine()})`, {
  "accounts (no app password)": accounts,
  concurrency,
  "total s": (plain.ms / 1000).toFixed(1),
  "accounts/s": Math.round(accounts / (plain.ms / 1000)),
  "target < 60 s": plain.ms < 60_000 ? "met" : "NOT met",
  "actors activated (one append each), s": (activateMs / 1000).toFixed(1),
  "peak resident actors": peakActors,
  "RSS after passivation, MB": (rss / 2 ** 20).toFixed(0),
  "target RSS < 150 MB": rss < 150 * 2 ** 20 ? "met" : "NOT met",
  "accounts with app password (bcrypt cost 10)": withPasswords.ids.length,
  "accounts/s with app password": (withPasswords.ids.length / (withPasswords.ms / 1000)).toFixed(1),
});
await t.stop();
