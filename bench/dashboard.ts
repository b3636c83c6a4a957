/**
 * The dashboard's inbox with a large mailbox (issue 17 target: 100,000 messages, a page p99 <
 * 50 ms, as fast as the API). Walks the inbox page after page (limit 50, page_token) twice: with
 * the API key, and through the dashboard (/dashboard/api/…, session cookie) as its mailbox view does.
 * Run: node_modules/.bin/bun bench/dashboard.ts [messages] [pages]   (BENCH_DATA_DIR keeps the load)
 */
import { api, startTestServer } from "../test/support/server.ts";
import { machine, median, percentile, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const total = Number(process.argv[2] ?? 100_000);
const pages = Number(process.argv[3] ?? 200);
const keep = process.env.BENCH_DATA_DIR;
const t = await startTestServer(keep ? { AGENTBOX_DATA_DIR: keep } : {});
const email = "big@agents.localhost";
const grant =
  (await api(t, "GET", `/v3/grants/${email}`)).body.data ??
  (await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings: { email } })).body.data;
const already = (await api(t, "GET", `/v3/grants/${grant.id}/folders/inbox`)).body.data.total_count as number;
const corpus = Array.from({ length: 1000 }, (_, i) => benchMessage(i));
for (let i = already; i < total; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, total - i) }, (_, j) =>
      t.server.mailboxes.ask(grant.id, "append", {
        folderId: "inbox",
        raw: corpus[(i + j) % corpus.length] as Uint8Array,
        flags: { seen: (i + j) % 3 !== 0 },
        internalDate: 1_700_000_000 + i + j,
      }),
    ),
  );
  if ((i + 500) % 10_000 === 0) console.error(`loaded ${i + 500} messages`);
}

const signIn = await fetch(`${t.url}/dashboard/session`, {
  method: "POST",
  headers: { "content-type": "application/json", origin: t.url },
  body: JSON.stringify({ api_key: t.apiKey }),
});
const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;

/** Walks `pages` pages from the newest (after 20 uncounted ones); the time of each. */
async function walk(prefix: string, headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  let token: string | null = null;
  for (let i = -20; i < pages; i++) {
    const q = new URLSearchParams({ in: "inbox", limit: "50", ...(token && { page_token: token }) });
    const s = performance.now();
    const res = await fetch(`${t.url}${prefix}/v3/grants/${grant.id}/messages?${q}`, { headers });
    const body = (await res.json()) as { next_cursor: string | null };
    if (res.status !== 200) throw new Error(`${prefix}: ${res.status}`);
    if (i >= 0) times.push(performance.now() - s);
    token = i === -1 ? null : body.next_cursor; // the counted walk starts again at the newest
  }
  return times;
}

const direct = await walk("", { authorization: `Bearer ${t.apiKey}` });
const dashboard = await walk("/dashboard/api", { cookie });
const row = (xs: number[]) => `p50 ${median(xs).toFixed(2)} ms · p99 ${percentile(xs, 99).toFixed(2)} ms`;
report(`inbox pages, ${total} messages in one account, ${pages} pages of 50 (${machine()})`, {
  "API (Bearer key)": row(direct),
  "dashboard (/dashboard/api, session cookie) (target p99 < 50 ms)": row(dashboard),
});
if (keep) await t.server.stop();
else await t.stop();
