/**
 * What the runner measures while a scenario runs, each on a connection of its own: GET /healthz,
 * an IMAP NOOP in a logged-in session, an SMTP EHLO on the MX; one after another, 20 ms apart,
 * each answer's latency kept. And the server's RSS, read from /proc every 50 ms.
 */
import { readFileSync } from "node:fs";
import { type Socket, connect as tcpConnect } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import type { AbuseTarget } from "./scenario.ts";

const PAUSE_MS = 20;

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

/** A line-oriented client: waits for the first line matching `done` after each write. */
class LineClient {
  private buffer = "";
  private waiter: (() => void) | null = null;
  closed = false;

  constructor(readonly socket: Socket | TLSSocket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.waiter?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on("error", () => {});
  }

  async until(done: RegExp): Promise<string> {
    for (;;) {
      const match = done.exec(this.buffer);
      if (match) {
        const upTo = this.buffer.slice(0, match.index + match[0].length);
        this.buffer = this.buffer.slice(match.index + match[0].length);
        return upTo;
      }
      if (this.closed) throw new Error("closed");
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = null;
    }
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }
}

function tls(port: number, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () =>
      resolve(socket),
    );
    socket.once("error", reject);
  });
}

export function probeImapNoop(target: AbuseTarget, signal: AbortSignal): Promise<ProbeSeries> {
  let client: LineClient | null = null;
  let tag = 0;
  const session = async () => {
    const c = new LineClient(await tls(target.ports.imaps, target.ca));
    await c.until(/\* OK[^\r\n]*\r\n/);
    c.send(`l LOGIN "${target.account.email}" "${target.account.password}"`);
    await c.until(/l OK[^\r\n]*\r\n/);
    return c;
  };
  return repeat(signal, async () => {
    if (!client || client.closed) client = await session();
    const t = `n${++tag}`;
    client.send(`${t} NOOP`);
    await client.until(new RegExp(`${t} OK[^\\r\\n]*\\r\\n`));
  }).finally(() => client?.socket.destroy());
}

export function probeSmtpEhlo(target: AbuseTarget, signal: AbortSignal): Promise<ProbeSeries> {
  let client: LineClient | null = null;
  const session = async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = tcpConnect(target.ports.mx, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
    const c = new LineClient(socket);
    await c.until(/^220 [^\r\n]*\r\n/m);
    return c;
  };
  return repeat(signal, async () => {
    // A new session before the MX's pre-DATA deadline would close this one.
    if (!client || client.closed) client = await session();
    client.send("EHLO probe.example");
    await client.until(/^250 [^\r\n]*\r\n/m);
  }).finally(() => client?.socket.destroy());
}
