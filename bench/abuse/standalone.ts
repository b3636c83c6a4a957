/**
 * What the IMAP and login abuse scenarios share, and how each runs on its own.
 *
 * Module shape (bench/abuse/<scenario>.ts):
 *   export const scenario: AbuseScenario = { name, run(target) }
 * `run` talks to the server at `target` only over loopback, is bounded in time (each scenario
 * says how long), and resolves with its figures (label → value). It neither starts nor stops the
 * server and does no latency or RSS sampling of its own: whoever runs it does that meanwhile.
 *
 * `node_modules/.bin/bun bench/abuse/<scenario>.ts` runs one alone: `runStandalone` starts the
 * server as a child process (`bun src/main.ts serve`, like bench/smtp.ts), makes an account with an
 * app password, samples `/healthz`, an IMAP NOOP, an SMTP EHLO and the server's RSS from a worker
 * thread while the scenario runs, and prints both. ABUSE_SERVER_DIR=<another checkout> runs that
 * checkout's server instead (figures before and after a change, same client).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/support/process.ts";
import { machine, percentile, report } from "../lib.ts";

export interface AbuseTarget {
  /** http://127.0.0.1:<port> */
  url: string;
  /** An operator API key (scenarios create the accounts they guess at). */
  apiKey: string;
  ports: { imaps: number; smtps: number; submission: number; mx: number };
  /** An account with an app password. */
  account: { email: string; password: string; grantId: string };
  /** The limits the server was started with; unset ones are the defaults (docs/operations.md). */
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  loginFailuresPerAccount: number;
  loginFailuresPerIp: number;
  imapLoginTimeoutS: number;
  imapConnectionsPerIp: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  loginFailuresPerAccount: 10,
  loginFailuresPerIp: 30,
  imapLoginTimeoutS: 60,
  imapConnectionsPerIp: 100,
};

export function limitsOf(target: AbuseTarget): ServerLimits {
  return { ...DEFAULT_LIMITS, ...target.limits };
}

export type Figures = Record<string, string | number>;

export interface AbuseScenario {
  name: string;
  run(target: AbuseTarget): Promise<Figures>;
}

export const PASSWORD = "AbuseBenchPassw0rd123";

/** An account with (or without) an app password, through the API. */
export async function createAccount(
  target: Pick<AbuseTarget, "url" | "apiKey">,
  prefix: string,
  password: string | null = PASSWORD,
): Promise<{ email: string; password: string; grantId: string }> {
  const email = `${prefix}-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
  const res = await fetch(`${target.url}/v3/connect/custom`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      provider: "nylas",
      settings: password ? { email, app_password: password } : { email },
    }),
  });
  const body = (await res.json()) as { data?: { id: string } };
  if (res.status !== 201 || !body.data) throw new Error(`account not created: ${JSON.stringify(body)}`);
  return { email, password: password ?? "", grantId: body.data.id };
}

/** Resolves `work`, or with `fallback` once `ms` passed: every phase of a scenario is bounded. */
export function bounded<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([work, Bun.sleep(ms).then(() => fallback)]);
}

export interface ProbeSetup {
  url: string;
  pid: number;
  ports: AbuseTarget["ports"];
  account: AbuseTarget["account"];
}

export interface ProbeSamples {
  healthz: number[];
  imapNoop: number[];
  smtpEhlo: number[];
  rss: number[];
  failures: number;
}

interface BenchServer {
  target: AbuseTarget;
  pid: number;
  rss(): number;
  stop(): Promise<void>;
}

/** The real server as a child process on free loopback ports, and an account on it. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "agentbox-abuse-"));
  const apiKey = `abx_abuse_${crypto.randomUUID()}`;
  const ports = { imaps: freePort(), smtps: freePort(), submission: freePort(), mx: freePort() };
  const http = freePort();
  const proc = Bun.spawn([process.execPath, "src/main.ts", "serve"], {
    cwd: process.env.ABUSE_SERVER_DIR || process.cwd(),
    env: {
      ...process.env,
      AGENTBOX_DATA_DIR: dataDir,
      AGENTBOX_HOSTNAME: "abuse.bench.test",
      AGENTBOX_API_KEY: apiKey,
      AGENTBOX_HTTP_PORT: String(http),
      AGENTBOX_IMAPS_PORT: String(ports.imaps),
      AGENTBOX_SMTPS_PORT: String(ports.smtps),
      AGENTBOX_SUBMISSION_PORT: String(ports.submission),
      AGENTBOX_MX_PORT: String(ports.mx),
      AGENTBOX_LOG_LEVEL: "warn",
      AGENTBOX_SMTP_QUEUE_HOLD: "1",
      ...env,
    },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${http}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode})`);
    if (Date.now() > deadline) throw new Error("server not ready after 20 s");
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await Bun.sleep(50);
  }
  const account = await createAccount({ url, apiKey }, "abuse-target");
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  return {
    target: { url, apiKey, ports, account },
    pid: proc.pid,
    rss,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Samples the server (probe-worker.ts) while `work` runs. */
export async function probeDuring<T>(
  server: BenchServer,
  work: () => Promise<T>,
): Promise<{ result: T; samples: ProbeSamples }> {
  const worker = new Worker(new URL("./probe-worker.ts", import.meta.url).href);
  const setup: ProbeSetup = {
    url: server.target.url,
    pid: server.pid,
    ports: server.target.ports,
    account: server.target.account,
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(e.message));
  });
  worker.postMessage(setup);
  await ready;
  const result = await work();
  const samples = new Promise<ProbeSamples>((resolve) => {
    worker.onmessage = (e: MessageEvent<{ samples: ProbeSamples }>) => resolve(e.data.samples);
  });
  worker.postMessage("stop");
  const out = await samples;
  worker.terminate();
  return { result, samples: out };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (v: number) => `${(v / 2 ** 20).toFixed(0)} MB`;

/** The probe's figures against the targets (p99 ≤ 50 ms, RSS ≤ idle + 100 MB). */
export function probeFigures(samples: ProbeSamples, idleRss: number): Figures {
  const p = (values: number[], q: number) => (values.length ? percentile(values, q) : Number.NaN);
  const peak = Math.max(idleRss, ...samples.rss);
  const worstP99 = Math.max(p(samples.healthz, 99), p(samples.imapNoop, 99), p(samples.smtpEhlo, 99));
  return {
    "probe rounds (every 100 ms)": samples.healthz.length,
    "/healthz p50 / p99": `${ms(p(samples.healthz, 50))} / ${ms(p(samples.healthz, 99))}`,
    "IMAP NOOP p50 / p99": `${ms(p(samples.imapNoop, 50))} / ${ms(p(samples.imapNoop, 99))}`,
    "SMTP EHLO p50 / p99": `${ms(p(samples.smtpEhlo, 50))} / ${ms(p(samples.smtpEhlo, 99))}`,
    "probe failures": samples.failures,
    "RSS idle → peak": `${mb(idleRss)} → ${mb(peak)} (+${mb(peak - idleRss)})`,
    "target p99 ≤ 50 ms, RSS ≤ idle + 100 MB":
      worstP99 <= 50 && peak - idleRss <= 100 * 2 ** 20 && samples.failures === 0 ? "met" : "MISSED",
  };
}

/** `bun bench/abuse/<scenario>.ts`: one scenario against a server of its own, with the probe. */
export async function runStandalone(
  scenario: AbuseScenario,
  env: Record<string, string> = {},
): Promise<void> {
  const server = await startBenchServer(env);
  try {
    server.target.limits = limitsFromEnv(env);
    await Bun.sleep(500);
    const idleRss = server.rss();
    const { result, samples } = await probeDuring(server, () => scenario.run(server.target));
    console.log(`# ${scenario.name}\n${machine()}`);
    report(`${scenario.name}: what the abusive client saw`, result);
    report(`${scenario.name}: other clients meanwhile`, probeFigures(samples, idleRss));
  } finally {
    await server.stop();
  }
}

function limitsFromEnv(env: Record<string, string>): Partial<ServerLimits> {
  const n = (name: string) => (env[name] ? Number(env[name]) : undefined);
  const limits: Partial<ServerLimits> = {};
  const set = <K extends keyof ServerLimits>(key: K, value: number | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  set("loginFailuresPerAccount", n("AGENTBOX_LOGIN_MAX_FAILURES_PER_ACCOUNT"));
  set("loginFailuresPerIp", n("AGENTBOX_LOGIN_MAX_FAILURES_PER_IP"));
  set("imapLoginTimeoutS", n("AGENTBOX_IMAP_LOGIN_TIMEOUT_S"));
  set("imapConnectionsPerIp", n("AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP"));
  return limits;
}
