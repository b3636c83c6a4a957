/**
 * Abuse (issue 12 targets): while any one abusive client runs, `/healthz`, an IMAP NOOP and an
 * SMTP EHLO on other connections answer within 50 ms at p99, and the server's RSS stays within
 * 100 MB of its idle figure.
 *
 * For each scenario: a fresh server (`bun src/main.ts serve`, a child process, as `npm start`
 * runs it, every port on 127.0.0.1) with an account that has an app password; two seconds of
 * probes at rest give the idle RSS; then the scenario runs in a process of its own (bench/abuse/
 * child.ts) while this process probes, each on its own connection, one after another 20 ms apart:
 * GET /healthz, a NOOP in a logged-in IMAP session, an EHLO on the MX, all from 127.0.0.1; and
 * reads the server's RSS from /proc every 50 ms. One line per scenario: whether the targets were
 * met (every p99 under 50 ms, no probe failed, peak RSS under idle + 100 MB), the figures, and the
 * scenario's own line. A scenario that trips per-address limits (logins, connections) attacks from
 * another loopback address (127.0.0.2, …) so that the probes stay other clients.
 *
 * Run: node_modules/.bin/bun bench/abuse.ts [scenario …]   (default: every scenario in SCENARIOS)
 *
 * A scenario is a module in bench/abuse/ whose default export is an `AbuseScenario`
 * (bench/abuse/scenario.ts):
 *
 *   const scenario: AbuseScenario = {
 *     name: "slow SMTP clients",                         // shown first on its line
 *     env: { AGENTBOX_SMTP_LOGIN_TIMEOUT_S: "10" },      // optional: the server's settings
 *     budgetMs: 15_000,                                  // the runner aborts `signal` then
 *     async run(target, signal) {                        // attack until done or aborted
 *       // target: { http, ports: { imaps, smtps, submission, mx }, ca, apiKey,
 *       //           account: { id, email, password } }; all on 127.0.0.1
 *       // more accounts, if it needs them: createAccount(target, prefix, password) (abuse/accounts.ts)
 *       return "what the server answered, in one line";
 *     },
 *   };
 *   export default scenario;
 *
 * and whose file name (without .ts) is listed in SCENARIOS below.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { freePort, spawnServer } from "../test/support/process.ts";
import { createAccount } from "./abuse/accounts.ts";
import {
  type ProbeSeries,
  peakRss,
  probeHealthz,
  probeImapNoop,
  probeSmtpEhlo,
  rssBytes,
} from "./abuse/probes.ts";
import type { AbuseScenario, AbuseTarget } from "./abuse/scenario.ts";
import { machine, percentile } from "./lib.ts";

/** The modules of bench/abuse/ to run, in order. */
const SCENARIOS = [
  "header-bomb",
  "header-near-limit",
  "chunked-bodies",
  "slow-smtp",
  "garbage-connections",
  "imap-prelogin-literals",
  "imap-slowloris",
  "imap-garbage",
  "password-guessing",
  "reconnect-storm-unlimited",
  "reconnect-storm",
];

const API_KEY = `abx_bench_${crypto.randomUUID()}`;
const PASSWORD = "Bench-Abuse-Passw0rd-2026";
const IDLE_MS = 2000;
const P99_TARGET_MS = 50;
const RSS_TARGET_BYTES = 100e6;

/**
 * A free port found now can be taken before the server binds it (by another process on this
 * shared machine, or as a client connection's ephemeral port): then again, on other ports.
 */
async function startServer(env: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const ports = { imaps: freePort(), smtps: freePort(), submission: freePort(), mx: freePort() };
    const server = spawnServer({
      AGENTBOX_API_KEY: API_KEY,
      AGENTBOX_HOSTNAME: "mail.abuse.test",
      AGENTBOX_IMAPS_PORT: String(ports.imaps),
      AGENTBOX_SMTPS_PORT: String(ports.smtps),
      AGENTBOX_SUBMISSION_PORT: String(ports.submission),
      AGENTBOX_MX_PORT: String(ports.mx),
      AGENTBOX_SMTP_QUEUE_HOLD: "1",
      AGENTBOX_LOG_LEVEL: "warn",
      ...env,
    });
    try {
      await server.ready(30_000);
      return { server, ports };
    } catch (err) {
      server.proc.kill("SIGKILL");
      if (attempt === 3 || !server.output().includes("address already in use")) throw err;
    }
  }
}

async function startTarget(env: Record<string, string>) {
  const { server, ports } = await startServer(env);
  const target: AbuseTarget = {
    http: server.url,
    ports,
    ca: readFileSync(join(server.dataDir, "tls", "cert.pem"), "utf8"),
    apiKey: API_KEY,
    account: await createAccount({ http: server.url, apiKey: API_KEY }, "abuse", PASSWORD),
  };
  return { server, target };
}

/**
 * One ordinary message through the MX, so the idle figure is that of a server that has received
 * mail (its authentication and preparation threads started), not of one that never has.
 */
async function warmUp(target: AbuseTarget): Promise<void> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: target.ports.mx,
    secure: false,
    ignoreTLS: true,
    name: "warm.example",
    logger: false,
  });
  await transport.sendMail({
    envelope: { from: "a@warm.example", to: [target.account.email] },
    raw: `From: a@warm.example\r\nTo: ${target.account.email}\r\nSubject: warm-up\r\n\r\nhello\r\n`,
  });
  transport.close();
}

/** Runs the three probes and the RSS sampler until `during` settles. */
async function measure(target: AbuseTarget, pid: number, during: Promise<unknown>) {
  const stop = new AbortController();
  const probes = Promise.all([
    probeHealthz(target, stop.signal),
    probeImapNoop(target, stop.signal),
    probeSmtpEhlo(target, stop.signal),
    peakRss(pid, stop.signal),
  ]);
  await during;
  stop.abort();
  const [healthz, imap, smtp, rss] = await probes;
  return { healthz, imap, smtp, rss };
}

async function runScenario(file: string): Promise<string> {
  const path = join(import.meta.dir, "abuse", `${file}.ts`);
  const scenario = (await import(path)).default as AbuseScenario;
  const { server, target } = await startTarget(scenario.env ?? {});
  const pid = server.proc.pid;
  try {
    await warmUp(target);
    await measure(target, pid, Bun.sleep(IDLE_MS));
    const idle = rssBytes(pid);
    const cpuBefore = cpuMs(pid);
    const started = performance.now();
    const child = Bun.spawn(
      [process.execPath, join(import.meta.dir, "abuse", "child.ts"), path, JSON.stringify(target)],
      {
        stdout: "pipe",
        stderr: "inherit",
      },
    );
    const killer = setTimeout(() => child.kill(), scenario.budgetMs + 10_000);
    const output = new Response(child.stdout).text();
    const m = await measure(target, pid, child.exited);
    clearTimeout(killer);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const cpu = cpuMs(pid) - cpuBefore;
    const summary = /SUMMARY (.*)/.exec(await output)?.[1] ?? "no summary (killed?)";
    const series = [m.healthz, m.imap, m.smtp];
    const met =
      series.every((s) => s.failures === 0 && p99(s) < P99_TARGET_MS) && m.rss - idle < RSS_TARGET_BYTES;
    return [
      scenario.name.padEnd(30),
      met ? "targets met" : "targets MISSED",
      `${seconds} s`,
      `healthz ${latency(m.healthz)}`,
      `IMAP NOOP ${latency(m.imap)}`,
      `SMTP EHLO ${latency(m.smtp)}`,
      `RSS ${mb(idle)} → ${mb(m.rss)} MB (+${mb(Math.max(0, m.rss - idle))})`,
      `server CPU ${(cpu / 1000).toFixed(1)} s in ${seconds} s`,
      summary,
    ].join(" · ");
  } finally {
    server.proc.kill("SIGTERM");
    await Promise.race([server.proc.exited, Bun.sleep(15_000)]);
    server.proc.kill("SIGKILL");
  }
}

const p99 = (s: ProbeSeries) =>
  s.latencies.length > 0 ? percentile(s.latencies, 99) : Number.POSITIVE_INFINITY;

function latency(s: ProbeSeries): string {
  if (s.latencies.length === 0) return `no answer (${s.failures} failed)`;
  const p = (q: number) => percentile(s.latencies, q).toFixed(1);
  const failed = s.failures > 0 ? `, ${s.failures} failed` : "";
  return `p50 ${p(50)} p99 ${p(99)} ms (n=${s.latencies.length}${failed})`;
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

/** A process's CPU time (user + system) so far, in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const chosen = process.argv.slice(2);
console.log(
  `# abuse · ${machine()} · targets: p99 < ${P99_TARGET_MS} ms with no failed probe, RSS < idle + ${mb(RSS_TARGET_BYTES)} MB`,
);
for (const file of chosen.length > 0 ? chosen : SCENARIOS) {
  console.log(await runScenario(file));
}
