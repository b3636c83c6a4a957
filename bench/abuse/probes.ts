/**
 * What the runner measures while a scenario runs, each on a connection of its own: GET /healthz,
 * an IMAP NOOP in a logged-in session, an SMTP EHLO on the MX (a new session every 5 s, its
 * connection and greeting then timed with the EHLO); one after another, 20 ms apart, each answer's
 * latency kept. And the server's RSS, read from /proc every 50 ms.
 */
import { readFileSync } from "node:fs";
import { imapQuote, LineClient, smtpReply } from "./line-client.ts";
import type { AbuseTarget } from "./scenario.ts";

const PAUSE_MS = 20;
const SMTP_SESSION_MS = 5000;

/** Latencies (ms) of one probe, plus how many of its attempts failed (timeouts, closed sessions). */
export interface ProbeSeries {
  latencies: number[];
  failures: number;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** Samples the server's RSS until `signal` aborts; resolves with the peak. */
export async function peakRss(pid: number, signal: AbortSignal): Promise<number> {
  let peak = 0;
  while (!signal.aborted) {
    peak = Math.max(peak, rssBytes(pid));
    await Bun.sleep(50);
  }
  return peak;
}

/** Repeats `once` until `signal` aborts; a probe that takes over 10 s counts as failed. */
async function repeat(signal: AbortSignal, once: () => Promise<void>): Promise<ProbeSeries> {
  const series: ProbeSeries = { latencies: [], failures: 0 };
  while (!signal.aborted) {
    const started = performance.now();
    try {
      await Promise.race([once(), Bun.sleep(10_000).then(() => Promise.reject(new Error("timeout")))]);
      series.latencies.push(performance.now() - started);
    } catch {
      series.failures++;
    }
    await Bun.sleep(PAUSE_MS);
  }
  return series;
}

export function probeHealthz(target: AbuseTarget, signal: AbortSignal): Promise<ProbeSeries> {
  return repeat(signal, async () => {
    const res = await fetch(`${target.http}/healthz`);
    await res.text();
    if (res.status !== 200) throw new Error(`healthz ${res.status}`);
  });
}

async function imapSession(target: AbuseTarget): Promise<LineClient> {
  const c = await LineClient.connect(target.ports.imaps, { tls: true, ca: target.ca });
  const greeting = await c.line();
  c.write(`l LOGIN ${imapQuote(target.account.email)} ${imapQuote(target.account.password)}\r\n`);
  const tagged = (await c.until("l "))?.at(-1);
  if (!greeting?.startsWith("* OK") || !tagged?.startsWith("l OK")) {
    c.close();
    throw new Error(`IMAP probe not logged in: ${greeting} | ${tagged}`);
  }
  return c;
}

export function probeImapNoop(target: AbuseTarget, signal: AbortSignal): Promise<ProbeSeries> {
  let client: LineClient | null = null;
  let tag = 0;
  return repeat(signal, async () => {
    if (!client || client.closed) client = await imapSession(target);
    const t = `n${++tag}`;
    client.write(`${t} NOOP\r\n`);
    const tagged = (await client.until(`${t} `))?.at(-1);
    if (!tagged?.startsWith(`${t} OK`)) throw new Error(`NOOP: ${tagged}`);
  }).finally(() => client?.close());
}

export function probeSmtpEhlo(target: AbuseTarget, signal: AbortSignal): Promise<ProbeSeries> {
  let client: LineClient | null = null;
  const session = async () => {
    const c = await LineClient.connect(target.ports.mx, { tls: false });
    const greeting = await smtpReply(c);
    if (!greeting?.startsWith("220 ")) {
      c.close();
      throw new Error(`MX greeting: ${greeting}`);
    }
    return c;
  };
  let opened = 0;
  return repeat(signal, async () => {
    // The MX ends a session that has not reached DATA at its deadline (AGENTBOX_SMTP_LOGIN_TIMEOUT_S,
    // 10 s in some scenarios), as it should: the probe starts a new one well before.
    if (!client || client.closed || performance.now() - opened > SMTP_SESSION_MS) {
      client?.close();
      client = await session();
      opened = performance.now();
    }
    client.write("EHLO probe.example\r\n");
    const reply = await smtpReply(client);
    if (!reply?.startsWith("250 ")) throw new Error(`EHLO: ${reply}`);
  }).finally(() => client?.close());
}
