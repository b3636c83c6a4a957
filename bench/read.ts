/**
 * Read latency with a large mailbox (issue #3 targets, 100,000 messages in one account):
 * GET /messages?limit=50 p99 < 10 ms; from + unread p99 < 20 ms; search_query_native p99 < 50 ms;
 * a folder's unread count < 5 ms; /messages/wait answers < 20 ms after the commit.
 * Requests go over real HTTP to the server in this process, after 50 uncounted ones of each kind.
 * Run: node_modules/.bin/bun bench/read.ts [messages] [requests]
 */
import { unreadCount } from "../src/mailbox/folders.ts";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, median, percentile, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const total = Number(process.argv[2] ?? 100_000);
const requests = Number(process.argv[3] ?? 200);
// BENCH_DATA_DIR keeps the loaded mailbox between runs (loading 100,000 messages takes minutes).
const keep = process.env.BENCH_DATA_DIR;
const t = await startTestServer(keep ? { AGENTBOX_DATA_DIR: keep } : {});
const email = "big@agents.localhost";
const existing = (await api(t, "GET", `/v3/grants/${email}`)).body.data;
const grant =
  existing ??
  (await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings: { email } })).body.data;
const already = (await api(t, "GET", `/v3/grants/${grant.id}/folders/inbox`)).body.data.total_count as number;
const corpus = Array.from({ length: 1000 }, (_, i) => benchMessage(i));
const t0 = performance.now();
for (let i = already; i < total; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, total - i) }, (_, j) =>
      t.server.mailboxes.ask(grant.id, "append", {
        folderId: "inbox",
        raw: corpus[(i + j) % corpus.length]!,
        flags: { seen: (i + j) % 3 !== 0 },
        internalDate: 1_700_000_000 + i + j,
      }),
    ),
  );
  if ((i + 500) % 10_000 === 0) {
    console.error(
      `loaded ${i + 500} messages, ${Math.round((i + 500) / ((performance.now() - t0) / 1000))}/s`,
    );
  }
}
const loadS = Math.max(0.001, (performance.now() - t0) / 1000);
const loaded = total - already;

/** Steady state: the first WARM_UP requests of each kind (JIT, page cache) are not counted. */
const WARM_UP = 50;

async function timeRequests(path: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = -WARM_UP; i < requests; i++) {
    const s = performance.now();
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    if (i >= 0) times.push(performance.now() - s);
  }
  return times;
}

const base = `/v3/grants/${grant.id}/messages`;
const list = await timeRequests(`${base}?limit=50`);
const filtered = await timeRequests(`${base}?limit=50&from=person7@example7.com&unread=true`);
const search = await timeRequests(
  `${base}?limit=50&search_query_native=${encodeURIComponent("invoice budget")}`,
);
// A small account beside the big one: a search for words only the big one has must not walk
// the big one's matches (the index is scoped per account: grantToken in src/mail/search/tokens.ts).
const smallEmail = "small@agents.localhost";
const small =
  (await api(t, "GET", `/v3/grants/${smallEmail}`)).body.data ??
  (await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings: { email: smallEmail } })).body
    .data;
for (
  let i = (await api(t, "GET", `/v3/grants/${small.id}/folders/inbox`)).body.data.total_count;
  i < 20;
  i++
) {
  const note = new TextEncoder().encode(`Subject: note ${i}\r\nFrom: a@b.com\r\n\r\nlunch on friday\r\n`);
  await t.server.mailboxes.ask(small.id, "append", { folderId: "inbox", raw: note });
}
const smallSearch = await timeRequests(
  `/v3/grants/${small.id}/messages?limit=50&search_query_native=${encodeURIComponent("invoice budget")}`,
);
const counts: number[] = [];
for (let i = 0; i < requests; i++) {
  const s = performance.now();
  unreadCount(t.server.store, grant.id, "inbox");
  counts.push(performance.now() - s);
}
const waits: number[] = [];
for (let i = 0; i < 20; i++) {
  const pending = fetch(`${t.url}${base}/wait?timeout=10&subject=${encodeURIComponent(`wake ${i}`)}`, {
    headers: { authorization: `Bearer ${t.apiKey}` },
  }).then((r) => r.json());
  await Bun.sleep(20);
  const raw = new TextEncoder().encode(`Subject: wake ${i}\r\nFrom: a@b.com\r\n\r\nhi\r\n`);
  await t.server.mailboxes.ask(grant.id, "append", { folderId: "inbox", raw });
  const committed = performance.now();
  await pending;
  waits.push(performance.now() - committed);
}
const row = (xs: number[]) => `p50 ${median(xs).toFixed(2)} ms · p99 ${percentile(xs, 99).toFixed(2)} ms`;
report(`read latency, ${total} messages in one account (${machine()})`, {
  "loading (ingest), messages/s": loaded > 0 ? Math.round(loaded / loadS) : "(reused BENCH_DATA_DIR)",
  "GET /messages?limit=50 (target p99 < 10 ms)": row(list),
  "from + unread (target p99 < 20 ms)": row(filtered),
  "search_query_native (target p99 < 50 ms)": row(search),
  "the same search in a 20-message account beside it": row(smallSearch),
  "unread count of INBOX (target < 5 ms)": row(counts),
  "wait: commit → response (target < 20 ms)": row(waits),
});
if (keep) await t.server.stop();
else await t.stop();
