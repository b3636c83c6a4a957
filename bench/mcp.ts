/**
 * The MCP server's targets (issue 16), over Streamable HTTP at /mcp on loopback with the SDK's
 * own client: `list_messages` of 20 messages p99 < 20 ms; `wait_for_message` answers within
 * 10 ms of the commit (measured from the append's acknowledgement to the tool's result).
 * Run: node_modules/.bin/bun bench/mcp.ts [calls] [messages]
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, median, percentile, report } from "./lib.ts";
import { benchMessage } from "./mail-corpus.ts";

const calls = Number(process.argv[2] ?? 500);
const messages = Number(process.argv[3] ?? 1000);
const WARM_UP = 50;

const t = await startTestServer();
const grant = (
  await api(t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: "mcp@agents.localhost" },
  })
).body.data;
for (let i = 0; i < messages; i += 250) {
  await Promise.all(
    Array.from({ length: Math.min(250, messages - i) }, (_, j) =>
      t.server.mailboxes.ask(grant.id, "append", {
        folderId: "inbox",
        raw: benchMessage(i + j),
        internalDate: 1_700_000_000 + i + j,
      }),
    ),
  );
}

const client = new Client({ name: "bench", version: "1" });
await client.connect(
  new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${t.apiKey}` } },
  }),
);

const list: number[] = [];
for (let i = -WARM_UP; i < calls; i++) {
  const s = performance.now();
  const r = (await client.callTool({ name: "list_messages", arguments: { grant: grant.id, limit: 20 } })) as {
    isError?: boolean;
    structuredContent?: { messages: unknown[] };
  };
  if (r.isError || r.structuredContent?.messages.length !== 20) throw new Error(JSON.stringify(r));
  if (i >= 0) list.push(performance.now() - s);
}

// The same page over REST, interleaved with nothing else: what the machine's noise costs a plain call.
const rest: number[] = [];
for (let i = -WARM_UP; i < calls; i++) {
  const s = performance.now();
  const res = await fetch(`${t.url}/v3/grants/${grant.id}/messages?limit=20`, {
    headers: { authorization: `Bearer ${t.apiKey}` },
  });
  await res.arrayBuffer();
  if (i >= 0) rest.push(performance.now() - s);
}

const WAITS = 100;
const waits: number[] = [];
for (let i = 0; i < WAITS; i++) {
  const pending = client.callTool({
    name: "wait_for_message",
    // `since`: a wait that starts after the commit (a slow tool call) still finds the message.
    arguments: { grant: grant.id, subject: `wake ${i}`, timeout_s: 10, since: Math.floor(Date.now() / 1000) },
  });
  await Bun.sleep(30);
  const raw = new TextEncoder().encode(`Subject: wake ${i}\r\nFrom: a@b.example\r\n\r\nCode 123456\r\n`);
  await t.server.mailboxes.ask(grant.id, "append", { folderId: "inbox", raw });
  const committed = performance.now();
  const r = (await pending) as { structuredContent?: { message: unknown } };
  if (!r.structuredContent?.message) throw new Error(`wait ${i} found nothing`);
  waits.push(performance.now() - committed);
}
// The REST long poll under the same conditions, for comparison.
const restWaits: number[] = [];
for (let i = 0; i < WAITS; i++) {
  const pending = fetch(
    `${t.url}/v3/grants/${grant.id}/messages/wait?timeout=10&since=${Math.floor(Date.now() / 1000)}&subject=${encodeURIComponent(`rest ${i}`)}`,
    {
      headers: { authorization: `Bearer ${t.apiKey}` },
    },
  ).then((res) => res.json());
  await Bun.sleep(30);
  const raw = new TextEncoder().encode(`Subject: rest ${i}\r\nFrom: a@b.example\r\n\r\nhi\r\n`);
  await t.server.mailboxes.ask(grant.id, "append", { folderId: "inbox", raw });
  const committed = performance.now();
  await pending;
  restWaits.push(performance.now() - committed);
}

const row = (xs: number[]) =>
  `p50 ${median(xs).toFixed(2)} ms · p99 ${percentile(xs, 99).toFixed(2)} ms · max ${Math.max(...xs).toFixed(2)} ms`;
report(`MCP over Streamable HTTP, ${messages} messages in the account (${machine()})`, {
  [`list_messages limit 20, ${calls} calls (target p99 < 20 ms)`]: row(list),
  "for comparison: GET /messages?limit=20 over HTTP": row(rest),
  [`wait_for_message: commit → result, ${WAITS} waits (target < 10 ms)`]: row(waits),
  "for comparison: GET /messages/wait, commit → response": row(restWaits),
});
await client.close();
await t.stop();
