/**
 * Message tracking (issue 19 targets): the link redirect answers with p99 < 5 ms; an open or a
 * click is recorded and its notification received within 1 s. Loopback. The server and the client
 * fetching the pixel and the redirects share this process (the figures carry the client's work
 * too: conservative); the webhook receiver (bench/webhook-receiver.ts) runs in its own. Every
 * request comes from another user agent, so every one is a recorded hit (no de-duplication), and
 * the redirects are measured while the hits they cause are written and notified.
 * The redirects are paced (5,000, one every 2 ms by default: 10 s), so that many batches of hits
 * are committed and notified while they are measured.
 * Run: node_modules/.bin/bun bench/tracking.ts [redirects] [opens] [ms between redirects]
 */
import { loadavg } from "node:os";
import { api, startTestServer } from "../test/support/server.ts";
import { machine, percentile, report } from "./lib.ts";

const redirects = Number(process.argv[2] ?? 5000);
/** One redirect every this many ms (at most: each waits for the previous answer). */
const REDIRECT_EVERY_MS = Number(process.argv[4] ?? 2);
const opens = Number(process.argv[3] ?? 300);
/** One open every this many ms while measuring open → notification. */
const INTERVAL_MS = 10;

const now = () => performance.timeOrigin + performance.now();
const t = await startTestServer({ AGENTBOX_PUBLIC_URL: "https://mail.bench.test" });
const receiver = await startReceiver();
const hook = (
  await api(t, "POST", "/v3/webhooks", {
    webhook_url: `${receiver.url}/hook`,
    trigger_types: ["message.opened", "message.link_clicked"],
  })
).body.data;
await receiver.control("POST", "/control/secret", hook.webhook_secret);
const grantId: string = (
  await api(t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: "track@agents.localhost" },
  })
).body.data.id;
const sent = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
  to: [{ email: "reader@example.com" }],
  subject: "tracked",
  body: '<p><a href="https://example.com/a">a</a> <a href="https://example.com/b">b</a></p>',
  tracking_options: { opens: true, links: true },
});
const token = (sent.body.data.body as string).match(/\/t\/o\/([\w-]+)\.gif/)?.[1];
const pixel = `${t.url}/t/o/${token}.gif`;
const link = (i: number) => `${t.url}/t/l/${token}/${i % 2}`;

// Warm up the connection and the statements.
for (let i = 0; i < 50; i++)
  await fetch(link(i), { redirect: "manual", headers: { "user-agent": `warm/${i}` } });

// 1. Redirect latency: sequential requests, each a recorded and notified click. A 1 ms timer
// counts how often the event loop was held longer than 5 ms meanwhile (commits, GC, the host).
const stalls = stallMonitor(5);
const redirectMs: number[] = [];
const phaseStarted = performance.now();
for (let i = 0; i < redirects; i++) {
  const started = performance.now();
  const res = await fetch(link(i), { redirect: "manual", headers: { "user-agent": `click/${i}` } });
  await res.arrayBuffer();
  redirectMs.push(performance.now() - started);
  if (res.status !== 302) throw new Error(`redirect answered ${res.status}`);
  const wait = phaseStarted + (i + 1) * REDIRECT_EVERY_MS - performance.now();
  if (wait > 0) await Bun.sleep(wait);
}
const phaseS = (performance.now() - phaseStarted) / 1000;
const held = stalls.stop();
await until(async () => Number(await receiver.control("GET", "/control/count")) >= redirects + 50);
await receiver.control("POST", "/control/reset");

// 2. Open → notification received: one open every INTERVAL_MS, matched by user agent.
const startedAt = new Map<string, number>();
for (let i = 0; i < opens; i++) {
  const ua = `open/${i}`;
  startedAt.set(ua, now());
  fetch(pixel, { headers: { "user-agent": ua } }).then((r) => r.arrayBuffer());
  await Bun.sleep(INTERVAL_MS);
}
await until(async () => Number(await receiver.control("GET", "/control/count")) >= opens);
const { arrivals, bad } = JSON.parse(await receiver.control("GET", "/control/results")) as {
  arrivals: [string, number][];
  bad: number;
};
const openMs = arrivals.map(([ua, at]) => at - (startedAt.get(ua) as number));

report(`Tracking — ${machine()}`, {
  [`redirects (one every ${REDIRECT_EVERY_MS} ms, each a recorded click)`]: `${redirects} in ${phaseS.toFixed(1)} s`,
  "redirect p50 (ms)": percentile(redirectMs, 50).toFixed(2),
  "redirect p99 (ms)": percentile(redirectMs, 99).toFixed(2),
  "redirect max (ms)": Math.max(...redirectMs).toFixed(2),
  "event loop held > 5 ms during the redirects (times)": held,
  "load average (1 min) at the end": loadavg()[0]?.toFixed(2) ?? "?",
  [`opens (one every ${INTERVAL_MS} ms)`]: opens,
  "open → message.opened received, p50 (ms)": percentile(openMs, 50).toFixed(2),
  "open → message.opened received, p99 (ms)": percentile(openMs, 99).toFixed(2),
  "open → message.opened received, max (ms)": Math.max(...openMs).toFixed(2),
  "bad signatures seen by the receiver": bad,
});
await t.stop();
receiver.stop();
process.exit(0);

function stallMonitor(thresholdMs: number) {
  let last = performance.now();
  let count = 0;
  const timer = setInterval(() => {
    const at = performance.now();
    if (at - last > thresholdMs) count++;
    last = at;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return count;
    },
  };
}

async function until(done: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the receiver");
    await Bun.sleep(20);
  }
}

async function startReceiver() {
  const proc = Bun.spawn([process.execPath, `${import.meta.dir}/webhook-receiver.ts`], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the receiver exited before printing its port");
    text += new TextDecoder().decode(value);
  }
  const url = `http://127.0.0.1:${Number(text.trim())}`;
  const control = async (method: string, path: string, body?: string) =>
    (await fetch(`${url}${path}`, { method, body })).text();
  return { url, control, stop: () => proc.kill() };
}
