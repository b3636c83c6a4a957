/**
 * IMAP targets (issue #4), against the real server in this process over TLS:
 *  - API change → IDLE push on a connected client: p50 < 5 ms, p99 < 50 ms
 *  - IMAP STORE → visible through the API: p99 < 20 ms
 *  - UID FETCH 1:* (UID FLAGS ENVELOPE) on a 10,000-message folder < 300 ms; its SELECT < 20 ms;
 *    SEARCH TEXT / BODY (substrings of the whole text) on it stay interactive (< 300 ms)
 *  - 2,000 idle connections (100 accounts × 20): RSS growth < 200 MB; all pushed within 1 s
 *  - a mixed random load of 20 clients: ops/s, no protocol error
 * The load generator shares the process (and its two cores) with the server, so RSS and
 * latencies include the clients' TLS work: upper bounds.
 * Run: node_modules/.bin/bun bench/imap.ts [pushes=300] [folderSize=10000] [accounts=100] [mixedSeconds=20]
 */
import { passwordVersion } from "../src/accounts/grants.ts";
import { api, startTestServer, type TestServer } from "../test/support/server.ts";
import { Client } from "./imap-client.ts";
import { machine, median, percentile, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const pushes = Number(process.argv[2] ?? 300);
const folderSize = Number(process.argv[3] ?? 10_000);
const accounts = Number(process.argv[4] ?? 100);
const mixedSeconds = Number(process.argv[5] ?? 20);
const PASSWORD = "MySecureP4ssword2024x";

async function account(t: TestServer, name: string): Promise<{ email: string; grantId: string }> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
  const res = await api(t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email, app_password: PASSWORD },
  });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, grantId: res.body.data.id };
}

async function login(port: number, email: string): Promise<Client> {
  const c = await Client.open(port);
  await c.run(`LOGIN "${email}" "${PASSWORD}"`);
  return c;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

// 2,000 connections come from one address here: above the default per-address cap.
const t = await startTestServer({
  AGENTBOX_LOG_LEVEL: "error",
  AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP: "5000",
});
const port = t.server.ports.imaps;
const { mailboxes } = t.server;
console.log(`# IMAP benchmark — ${machine()}`);

// ── 1. API change → IDLE push ───────────────────────────────────────────────────────────────
{
  const a = await account(t, "push");
  const ids: string[] = [];
  for (let i = 0; i < 10; i++)
    ids.push((await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: benchMessage(i) })).id);
  const c = await login(port, a.email);
  await c.run("SELECT INBOX");
  c.write("idle IDLE\r\n");
  await c.line();
  const latencies: number[] = [];
  for (let i = 0; i < pushes; i++) {
    const id = ids[i % ids.length] as string;
    const started = performance.now();
    const request = api(t, "PUT", `/v3/grants/${a.grantId}/messages/${id}`, { starred: i % 20 < 10 });
    const pushed = await c.line();
    latencies.push(performance.now() - started);
    if (!pushed.includes("FETCH")) throw new Error(`unexpected push ${pushed}`);
    await request;
  }
  c.write("DONE\r\n");
  await c.until("idle", true, "IDLE");
  report("API change (PUT /messages/{id}) → IDLE push", {
    pushes,
    p50: ms(median(latencies)),
    p99: ms(percentile(latencies, 99)),
    max: ms(Math.max(...latencies)),
    "target p50 < 5 ms, p99 < 50 ms":
      median(latencies) < 5 && percentile(latencies, 99) < 50 ? "met" : "MISSED",
  });

  // ── 2. IMAP STORE → visible through the API ───────────────────────────────────────────────
  const storeLatencies: number[] = [];
  for (let i = 0; i < pushes; i++) {
    const seq = (i % ids.length) + 1;
    const flag = i % 20 < 10;
    const started = performance.now();
    await c.run(`STORE ${seq} ${flag ? "+" : "-"}FLAGS.SILENT (\\Seen)`);
    const res = await api(t, "GET", `/v3/grants/${a.grantId}/messages/${ids[seq - 1]}`);
    storeLatencies.push(performance.now() - started);
    if (res.body.data.unread !== !flag) throw new Error("the API did not see the STORE");
  }
  report("IMAP STORE → visible through GET /messages/{id}", {
    stores: pushes,
    p50: ms(median(storeLatencies)),
    p99: ms(percentile(storeLatencies, 99)),
    "target p99 < 20 ms": percentile(storeLatencies, 99) < 20 ? "met" : "MISSED",
  });

  // Cost of the per-command password-version check (one indexed read on a compiled statement).
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) passwordVersion(t.server.store, a.grantId);
  report("password-version check before each command", {
    "per check": `${(((performance.now() - t0) / n) * 1000).toFixed(2)} µs`,
  });
  c.close();
}

// ── 3. A 10,000-message folder: SELECT and UID FETCH 1:* (UID FLAGS ENVELOPE) ───────────────
{
  const a = await account(t, "big");
  const corpus = Array.from({ length: 500 }, (_, i) => benchMessage(i, 4096));
  const loadStart = performance.now();
  for (let i = 0; i < folderSize; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, folderSize - i) }, (_, j) =>
        mailboxes.ask(a.grantId, "append", {
          folderId: "inbox",
          raw: corpus[(i + j) % corpus.length] as Uint8Array,
          flags: { seen: (i + j) % 3 !== 0 },
        }),
      ),
    );
  }
  const loadS = (performance.now() - loadStart) / 1000;
  const c = await login(port, a.email);
  const selects: number[] = [];
  const fetches: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 7; round++) {
    let s = performance.now();
    const lines = await c.run("SELECT INBOX");
    selects.push(performance.now() - s);
    if (!lines.includes(`* ${folderSize} EXISTS`)) throw new Error(`SELECT: ${lines.join(" | ")}`);
    s = performance.now();
    bytes = await c.runBulk("UID FETCH 1:* (UID FLAGS ENVELOPE)");
    fetches.push(performance.now() - s);
  }
  // Substrings found in one message ("#4321" is a subject's tail), in many ("nvoic"), and in none.
  const searches: Record<string, number[]> = { "TEXT #4321": [], "BODY nvoic": [], "TEXT zqxj": [] };
  for (let round = 0; round < 7; round++) {
    for (const [criteria, times] of Object.entries(searches)) {
      const s = performance.now();
      await c.run(`UID SEARCH ${criteria}`);
      times.push(performance.now() - s);
    }
  }
  report(`${folderSize}-message folder (loaded at ${Math.round(folderSize / loadS)}/s)`, {
    ...Object.fromEntries(
      Object.entries(searches).map(([k, v]) => [`UID SEARCH ${k}, median of 7`, ms(median(v))]),
    ),
    "SELECT, median of 7": ms(median(selects)),
    "UID FETCH 1:* (UID FLAGS ENVELOPE), median of 7": ms(median(fetches)),
    "UID FETCH 1:* worst": ms(Math.max(...fetches)),
    "response size": `${(bytes / 1024 / 1024).toFixed(1)} MB`,
    "target SELECT < 20 ms, FETCH < 300 ms": median(selects) < 20 && median(fetches) < 300 ? "met" : "MISSED",
  });
  c.close();
}

// ── 4. 2,000 idle connections (100 accounts × 20), one change each, all pushed ─────────────
{
  const list: { email: string; grantId: string }[] = [];
  for (let i = 0; i < accounts; i += 10) {
    list.push(
      ...(await Promise.all(Array.from({ length: Math.min(10, accounts - i) }, () => account(t, "idle")))),
    );
  }
  for (const a of list)
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: benchMessage(1, 2048) });
  Bun.gc(true);
  const rssBefore = process.memoryUsage.rss();
  const clients: { c: Client; grant: number }[] = [];
  const openStart = performance.now();
  for (let k = 0; k < 20; k++) {
    const batch = await Promise.all(
      list.map(async (a, g) => {
        const c = await login(port, a.email);
        await c.run("SELECT INBOX");
        c.write("idle IDLE\r\n");
        await c.line();
        return { c, grant: g };
      }),
    );
    clients.push(...batch);
  }
  const openS = (performance.now() - openStart) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  Bun.gc(true);
  const rssAfter = process.memoryUsage.rss();
  const pushedAt = clients.map(async ({ c }) => {
    const l = await c.line();
    if (!l.endsWith("EXISTS")) throw new Error(`unexpected push ${l}`);
    return performance.now();
  });
  const changed = performance.now();
  await Promise.all(
    list.map((a) => mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: benchMessage(2, 2048) })),
  );
  const committed = performance.now();
  const times = (await Promise.all(pushedAt)).map((x) => x - changed);
  report(`${clients.length} idle connections (${list.length} accounts × 20)`, {
    "opened (LOGIN, SELECT, IDLE) in": `${openS.toFixed(1)} s`,
    "RSS before": `${Math.round(rssBefore / 2 ** 20)} MB`,
    "RSS with every connection idling": `${Math.round(rssAfter / 2 ** 20)} MB`,
    "RSS growth (server + client sockets)": `${Math.round((rssAfter - rssBefore) / 2 ** 20)} MB`,
    [`${list.length} changes committed in`]: ms(committed - changed),
    "every connection pushed within (max)": ms(Math.max(...times)),
    "push p50": ms(median(times)),
    "target growth < 200 MB, all within 1 s":
      rssAfter - rssBefore < 200 * 2 ** 20 && Math.max(...times) < 1000 ? "met" : "MISSED",
  });
  for (const { c } of clients) c.close();
  await new Promise((r) => setTimeout(r, 500));
}

// ── 5. Mixed random load: 20 clients on 4 accounts ──────────────────────────────────────────
{
  const list = await Promise.all(Array.from({ length: 4 }, () => account(t, "mixed")));
  for (const a of list) {
    for (let i = 0; i < 200; i++)
      await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: benchMessage(i, 3000) });
  }
  const clients = await Promise.all(
    Array.from({ length: 20 }, (_, i) => login(port, (list[i % 4] as { email: string }).email)),
  );
  for (const c of clients) await c.run("SELECT INBOX");
  const counts: Record<string, number> = {};
  let ops = 0;
  const deadline = performance.now() + mixedSeconds * 1000;
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  await Promise.all(
    clients.map(async (c, i) => {
      while (performance.now() < deadline) {
        const r = rand(100);
        let op: string;
        if (r < 5) {
          op = "select";
          await c.run(rand(2) ? "SELECT INBOX" : "EXAMINE INBOX");
          if (c.exists === 0) continue;
        } else if (c.exists === 0 || r < 20) {
          op = "append";
          const raw = benchMessage(1000 + rand(1000), 2000);
          c.write(`a${i} APPEND INBOX {${raw.length}+}\r\n`);
          c.write(raw);
          c.write("\r\n");
          await c.until(`a${i}`, true, "APPEND");
        } else if (r < 50) {
          op = "fetch";
          const from = 1 + rand(c.exists);
          await c.run(`FETCH ${from}:${Math.min(c.exists, from + 20)} (UID FLAGS ENVELOPE)`);
        } else if (r < 55) {
          op = "fetch body";
          await c.run(`UID FETCH ${1 + rand(400)} BODY.PEEK[]`);
        } else if (r < 75) {
          op = "store";
          const seq = 1 + rand(c.exists);
          await c.run(`STORE ${seq} ${rand(2) ? "+" : "-"}FLAGS (\\Flagged)`, false);
        } else if (r < 88) {
          op = "search";
          await c.run(rand(2) ? "SEARCH UNSEEN" : "UID SEARCH TEXT invoice");
        } else if (r < 95) {
          op = "noop";
          await c.run("NOOP");
        } else {
          op = "expunge";
          await c.run(`STORE ${1 + rand(c.exists)} +FLAGS.SILENT (\\Deleted)`, false);
          await c.run("EXPUNGE", false);
        }
        counts[op] = (counts[op] ?? 0) + 1;
        ops += 1;
      }
    }),
  );
  const errors = clients.flatMap((c) => c.bad);
  // STORE/EXPUNGE in a client that last did EXAMINE are refused with NO [READ-ONLY]: expected.
  const protocolErrors = errors.filter((e) => !e.includes("[READ-ONLY]"));
  report(`mixed random load: 20 clients × ${mixedSeconds} s on 4 accounts`, {
    "operations per second": Math.round(ops / mixedSeconds),
    operations: ops,
    mix: Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
    "protocol errors (BAD, unexpected NO, BYE)": protocolErrors.length,
  });
  if (protocolErrors.length > 0) console.log(protocolErrors.slice(0, 10).join("\n"));
  for (const c of clients) c.close();
}

await t.stop();
process.exit(0);
