/**
 * SMTP (issue #5) against the real server process (`bun src/main.ts serve`), the load from other
 * processes so the server's one event loop is measured alone:
 *
 *  1. MX ingest: Postfix's `smtp-source -s 20 -m N -l 10240` (20 sessions, N messages of 10 KB),
 *     SPF, DKIM and DMARC checked against a DNS server on loopback (AGENTBOX_DNS_SERVER). Target
 *     ≥ 750 messages/s, each durable before its 250.
 *  2. The same with DKIM-signed messages (the signature verified on every one), from this script.
 *  3. Submission → visible in a hosted recipient's INBOX: p50/p99 (target p99 < 50 ms).
 *  4. Outbound: N queued messages drained to a local relay, DKIM-signed (target ≥ 200/s).
 *
 * Run: node_modules/.bin/bun bench/smtp.ts [messages=5000]
 * smtp-source: from PATH, or POSTFIX_ROOT=<dir> where the postfix .deb was unpacked without
 * installing it (`apt-get download postfix && dpkg-deb -x postfix_*.deb <dir>`; no daemon).
 * BENCH_PROFILE=1 writes a CPU profile of the server (bun --cpu-prof) to the data directory;
 * BENCH_PHASES=1,3 runs only those parts.
 */
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { authenticate, dkimSign } from "mailauth";
import nodemailer from "nodemailer";
import { mailauthResolver } from "../src/dns/resolver.ts";
import { generateDkimKeyPair } from "../src/domains/dkim.ts";
import { startCaptureServer } from "../test/smtp/support/capture-server.ts";
import { startTestDnsServer } from "../test/support/dns-server.ts";
import { freePort } from "../test/support/process.ts";
import { machine, percentile, report } from "./lib.ts";

const TOTAL = Number(process.argv[2] ?? 5000);
const SESSIONS = 20;
const API_KEY = `abx_bench_${crypto.randomUUID()}`;
const PASSWORD = "BenchPassw0rd-1234567";

interface Running {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  ports: { smtps: number; submission: number; mx: number };
  output: () => string;
}

function startServer(dataDir: string, env: Record<string, string>): Running {
  const ports = { smtps: freePort(), submission: freePort(), mx: freePort() };
  const http = freePort();
  const args = process.env.BENCH_PROFILE
    ? [process.execPath, "--cpu-prof", `--cpu-prof-dir=${dataDir}`, "src/main.ts", "serve"]
    : [process.execPath, "src/main.ts", "serve"];
  const proc = Bun.spawn(args, {
    env: {
      ...process.env,
      AGENTBOX_DATA_DIR: dataDir,
      AGENTBOX_HOSTNAME: "mx.bench.test",
      AGENTBOX_API_KEY: API_KEY,
      AGENTBOX_HTTP_PORT: String(http),
      AGENTBOX_IMAPS_PORT: "0",
      AGENTBOX_SMTPS_PORT: String(ports.smtps),
      AGENTBOX_SUBMISSION_PORT: String(ports.submission),
      AGENTBOX_MX_PORT: String(ports.mx),
      AGENTBOX_LOG_LEVEL: "warn",
      AGENTBOX_DAILY_SEND_LIMIT: "1000000",
      AGENTBOX_STORAGE_QUOTA_BYTES: String(2 ** 40),
      // Every session comes from 127.0.0.1 (smtp-source opens one per message): this measures the
      // MX, not the per-address connection rate (bench/abuse.ts reconnect-storm does).
      AGENTBOX_CONNECTION_RATE_PER_S: "0",
      ...env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  for (const stream of [proc.stdout, proc.stderr]) {
    void (async () => {
      for await (const chunk of stream) text += new TextDecoder().decode(chunk);
    })();
  }
  return { proc, url: `http://127.0.0.1:${http}`, ports, output: () => text };
}

async function ready(s: Running): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (s.proc.exitCode !== null) throw new Error(`server exited: ${s.output()}`);
    if (
      await fetch(`${s.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await Bun.sleep(20);
  }
  throw new Error(`server not ready: ${s.output()}`);
}

async function stop(s: Running): Promise<void> {
  s.proc.kill("SIGTERM");
  await s.proc.exited;
}

/** The server process's CPU time (user + system), in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function call(s: Running, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function account(s: Running, name: string): Promise<{ id: string; email: string }> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
  const body = await call(s, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email, app_password: PASSWORD },
  });
  return { id: body.data.id, email };
}

function countMessages(dataDir: string, grantId: string): number {
  const db = new Database(join(dataDir, "agentbox.db"), { readonly: true });
  try {
    return (
      db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM messages WHERE grant_id = ?").get(grantId)
        ?.n ?? 0
    );
  } finally {
    db.close();
  }
}

function smtpSource(): { cmd: string; env: Record<string, string> } | null {
  const root = process.env.POSTFIX_ROOT;
  if (root && existsSync(join(root, "usr/sbin/smtp-source"))) {
    return {
      cmd: join(root, "usr/sbin/smtp-source"),
      env: { LD_LIBRARY_PATH: join(root, "usr/lib/postfix") },
    };
  }
  const onPath = Bun.which("smtp-source");
  return onPath ? { cmd: onPath, env: {} } : null;
}

// --- set-up -----------------------------------------------------------------------------------
const dns = await startTestDnsServer();
const senderKey = await generateDkimKeyPair("bench");
dns.set("bench.example", "TXT", ["v=spf1 ip4:127.0.0.1 -all"]);
dns.set("bench._domainkey.bench.example", "TXT", [`v=DKIM1; k=rsa; p=${senderKey.publicKeyBase64}`]);
dns.set("_dmarc.bench.example", "TXT", ["v=DMARC1; p=reject"]);
const dataDir = mkdtempSync(join(tmpdir(), "agentbox-bench-smtp-"));
const results: Record<string, string | number> = { messages: TOTAL, "sessions (MX)": SESSIONS };
const phases = new Set((process.env.BENCH_PHASES ?? "1,2,3,4").split(",").map((p) => p.trim()));

let server = startServer(dataDir, { AGENTBOX_DNS_SERVER: dns.address });
await ready(server);

// --- 1. MX ingest with smtp-source --------------------------------------------------------------
/** smtp-source's default opens a connection per message; `-d` keeps each session's connection. */
async function runSmtpSource(
  cmd: { cmd: string; env: Record<string, string> },
  keep: boolean,
  label: string,
) {
  const rcpt = await account(server, keep ? "mx-keep" : "mx");
  const cpu0 = cpuMs(server.proc.pid);
  const t0 = performance.now();
  const proc = Bun.spawn(
    [
      cmd.cmd,
      ...(keep ? ["-d"] : []),
      "-s",
      String(SESSIONS),
      "-m",
      String(TOTAL),
      "-l",
      "10240",
      "-f",
      "sender@bench.example",
      "-t",
      rcpt.email,
      "-M",
      "client.bench.example",
      `127.0.0.1:${server.ports.mx}`,
    ],
    { env: { ...process.env, ...cmd.env }, stdout: "pipe", stderr: "pipe" },
  );
  const code = await proc.exited;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(server.proc.pid) - cpu0;
  if (code !== 0) console.error(await new Response(proc.stderr).text());
  const stored = countMessages(dataDir, rcpt.id);
  results[`${label}: messages/s`] = Math.round(TOTAL / seconds);
  results[`${label}: stored / sent`] = `${stored} / ${TOTAL}`;
  results[`${label}: server CPU per message`] = `${Math.round((cpu * 1000) / TOTAL)} µs`;
  return TOTAL / seconds;
}

const source = smtpSource();
if (!phases.has("1")) {
  // skipped
} else if (source) {
  const rate = await runSmtpSource(source, false, "1. MX, smtp-source -s 20 (a connection per message)");
  results["1. target ≥ 750/s"] = rate >= 750 ? "met" : "NOT met";
  await runSmtpSource(source, true, "1b. MX, smtp-source -d -s 20 (connections kept)");
} else {
  results["1. MX, smtp-source"] = "skipped: smtp-source not found (see the header of this file)";
}

// --- 2. MX ingest, DKIM-signed (verified on every message) ------------------------------------
if (phases.has("2")) {
  const rcpt = await account(server, "mx-dkim");
  const body = `${"The quick brown fox jumps over the lazy dog. ".repeat(227)}\r\n`;
  const messages = await Promise.all(
    Array.from({ length: Math.min(TOTAL, 500) }, async (_, i) => {
      const raw =
        `From: News <news@bench.example>\r\nTo: ${rcpt.email}\r\nSubject: signed ${i}\r\n` +
        `Message-ID: <signed-${i}@bench.example>\r\nDate: ${new Date().toUTCString()}\r\n` +
        `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${body}`;
      const signed = await dkimSign(raw, {
        signatureData: [
          { signingDomain: "bench.example", selector: "bench", privateKey: senderKey.privateKeyPem },
        ],
      } as any);
      return signed.signatures + raw;
    }),
  );
  let next = 0;
  const cpu0 = cpuMs(server.proc.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port: server.ports.mx,
        pool: true,
        maxConnections: 1,
        maxMessages: Number.POSITIVE_INFINITY,
        ignoreTLS: true,
        name: "client.bench.example",
        logger: false,
      });
      while (next < TOTAL) {
        const i = next++;
        await transport.sendMail({
          envelope: { from: "bounce@bench.example", to: [rcpt.email] },
          raw: messages[i % messages.length] as string,
        });
      }
      transport.close();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(server.proc.pid) - cpu0;
  const db = new Database(join(dataDir, "agentbox.db"), { readonly: true });
  const verdicts = db
    .query<{ v: string; n: number }, [string]>(
      "SELECT authentication_json AS v, count(*) AS n FROM messages WHERE grant_id = ? GROUP BY 1",
    )
    .all(rcpt.id);
  db.close();
  const allPass = verdicts.length === 1 && /"dkim":\[\{"result":"pass"/.test(verdicts[0]?.v ?? "");
  results["2. MX, DKIM-signed (this script): messages/s"] = Math.round(TOTAL / seconds);
  results["2. MX, DKIM-signed: server CPU per message"] = `${Math.round((cpu * 1000) / TOTAL)} µs`;
  results["2. MX, DKIM-signed: every verdict spf+dkim+dmarc pass"] = allPass
    ? "yes"
    : JSON.stringify(verdicts).slice(0, 300);
}

// --- 3. Submission → visible in the recipient's INBOX -----------------------------------------
if (phases.has("3")) {
  const a = await account(server, "sub-a");
  const b = await account(server, "sub-b");
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: server.ports.smtps,
    secure: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Number.POSITIVE_INFINITY,
    auth: { user: a.email, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
  const n = Math.min(TOTAL, 1000);
  const latencies: number[] = [];
  let visibleAt250 = 0;
  for (let i = 0; i < n + 20; i++) {
    const t0 = performance.now();
    await transport.sendMail({
      from: a.email,
      to: b.email,
      subject: `latency ${i}`,
      text: "x".repeat(10_000),
    });
    const ms = performance.now() - t0;
    if (i >= 20) latencies.push(ms); // after warm-up
    if (i % 50 === 0) {
      const list = await call(server, "GET", `/v3/grants/${b.id}/messages?in=inbox&limit=1`);
      if (list.data[0]?.subject === `latency ${i}`) visibleAt250++;
    }
  }
  transport.close();
  results["3. submission → recipient INBOX, p50"] = `${percentile(latencies, 50).toFixed(1)} ms`;
  results["3. submission → recipient INBOX, p99"] = `${percentile(latencies, 99).toFixed(1)} ms`;
  results["3. checked visible right after the 250"] = `${visibleAt250} / ${Math.ceil((n + 20) / 50)}`;
  results["3. target p99 < 50 ms"] = percentile(latencies, 99) < 50 ? "met" : "NOT met";
}
await stop(server);

// --- 4. Outbound: queue N, then drain to a local relay --------------------------------------
if (phases.has("4")) {
  server = startServer(dataDir, { AGENTBOX_DNS_SERVER: dns.address, AGENTBOX_SMTP_QUEUE_HOLD: "1" });
  await ready(server);
  const a = await account(server, "out");
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < TOTAL) {
        const i = next++;
        await call(server, "POST", `/v3/grants/${a.id}/messages/send`, {
          to: [{ email: `r${i}@d${i % 10}.example` }],
          subject: `outbound ${i}`,
          body: "y".repeat(10_000),
        });
      }
    }),
  );
  await stop(server);
  const relay = await startCaptureServer();
  server = startServer(dataDir, {
    AGENTBOX_DNS_SERVER: dns.address,
    AGENTBOX_SMTP_RELAY: `smtp://127.0.0.1:${relay.port}`,
  });
  const t0 = performance.now();
  await ready(server);
  const cpu0 = cpuMs(server.proc.pid);
  await relay.waitFor(TOTAL, 600_000);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(server.proc.pid) - cpu0;
  const signed = relay.messages.filter((m) => m.raw.subarray(0, 16).toString() === "DKIM-Signature: ").length;
  const sample = relay.messages[Math.floor(relay.messages.length / 2)]?.raw as Buffer;
  const verdict = await authenticate(sample, {
    ip: "192.0.2.1",
    helo: "mx.bench.test",
    sender: a.email,
    mta: "receiver.example",
    resolver: mailauthResolver(await publishTrialKey(dataDir)),
  });
  results["4. outbound, queue → relay: messages/s"] = Math.round(TOTAL / seconds);
  results["4. outbound: server CPU per message"] = `${Math.round((cpu * 1000) / TOTAL)} µs`;
  results["4. outbound: DKIM-signed / verified sample"] =
    `${signed} / ${verdict.dkim.results[0]?.status.result}`;
  results["4. target ≥ 200/s"] = TOTAL / seconds >= 200 ? "met" : "NOT met";
  await stop(server);
  await relay.close();
}

/** The trial domain's key, published on the bench DNS server, for a receiver-side check. */
async function publishTrialKey(dir: string): Promise<string> {
  const db = new Database(join(dir, "agentbox.db"), { readonly: true });
  const row = db
    .query<{ s: string; p: string }, []>(
      "SELECT dkim_selector AS s, dkim_public_key AS p FROM domains WHERE domain_address = 'agents.localhost'",
    )
    .get();
  db.close();
  dns.set(`${row?.s}._domainkey.agents.localhost`, "TXT", [`v=DKIM1; k=rsa; p=${row?.p}`]);
  return dns.address;
}

await dns.close();
report(`SMTP (${machine()})`, results);
if (process.env.BENCH_PROFILE) console.log(`\nprofiles in ${dataDir}`);
else rmSync(dataDir, { recursive: true, force: true });
