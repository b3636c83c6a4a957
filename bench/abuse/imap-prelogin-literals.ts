/**
 * Pre-login literals: on 5 connections that never log in, `APPEND INBOX` with a 40 MiB literal:
 * four LITERAL+ (`{41943040+}`, the bytes streamed right behind the command) and one synchronizing
 * (`{41943040}`, the bytes sent only after a `+`). Before issue 12 the server buffered them all
 * (+199 MB) and offered `+ Ready` to the synchronizing one. The five go again as soon as they are
 * done, for 10 s; each wave is bounded at 20 s.
 */
import { bounded } from "./bounded.ts";
import { LineClient } from "./line-client.ts";
import type { AbuseScenario, AbuseTarget } from "./scenario.ts";

const LITERAL = 40 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x78);
const WAVE_MS = 20_000;
const ATTACK_MS = 10_000;

interface Outcome {
  answer: string;
  /** The server offered a continuation ("+ …") for the synchronizing literal. */
  continued: boolean;
  /** Bytes of the literal the client managed to write before the server closed. */
  written: number;
  closedByServer: boolean;
  closedAfterMs: number;
}

const TIMED_OUT: Outcome = {
  answer: "(timed out)",
  continued: false,
  written: 0,
  closedByServer: false,
  closedAfterMs: WAVE_MS,
};

/** Streams the literal with backpressure until it is all written or the server closes. */
async function stream(c: LineClient, total: number): Promise<number> {
  let written = 0;
  while (written < total && !c.closed) {
    const ok = c.write(CHUNK);
    written += CHUNK.length;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          c.socket.off("drain", done);
          c.socket.off("close", done);
          resolve();
        };
        c.socket.on("drain", done);
        c.socket.on("close", done);
      });
    }
  }
  return written;
}

async function literalPlus(target: AbuseTarget, i: number): Promise<Outcome> {
  const c = await LineClient.connect(target.ports.imaps, { tls: true });
  await c.line();
  const started = Date.now();
  c.write(`p${i} APPEND INBOX {${LITERAL}+}\r\n`);
  const written = await stream(c, LITERAL);
  const answer = (await c.line(2000)) ?? "(none)";
  const closedByServer = await c.waitClosed(5000);
  c.close();
  return {
    answer,
    continued: false,
    written,
    closedByServer,
    closedAfterMs: (c.closedAt || Date.now()) - started,
  };
}

async function synchronizing(target: AbuseTarget): Promise<Outcome> {
  const c = await LineClient.connect(target.ports.imaps, { tls: true });
  await c.line();
  const started = Date.now();
  c.write(`s1 APPEND INBOX {${LITERAL}}\r\n`);
  const answer = (await c.line(5000)) ?? "(none)";
  const continued = answer.startsWith("+");
  const written = continued ? await stream(c, LITERAL) : 0;
  const closedByServer = continued ? await c.waitClosed(5000) : false;
  c.close();
  return { answer, continued, written, closedByServer, closedAfterMs: Date.now() - started };
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

const scenario: AbuseScenario = {
  name: "IMAP pre-login literals",
  budgetMs: ATTACK_MS + WAVE_MS,
  async run(target, signal) {
    const started = performance.now();
    const plus: Outcome[] = [];
    const sync: Outcome[] = [];
    while (performance.now() - started < ATTACK_MS && !signal.aborted) {
      const [p1, p2, p3, p4, s] = await Promise.all([
        ...[1, 2, 3, 4].map((i) => bounded(literalPlus(target, i), WAVE_MS, signal, TIMED_OUT)),
        bounded(synchronizing(target), WAVE_MS, signal, TIMED_OUT),
      ]);
      plus.push(...([p1, p2, p3, p4] as Outcome[]));
      sync.push(s as Outcome);
    }
    const closed = plus.filter((o) => o.closedByServer).length;
    return [
      `${sync.length} waves of 5 × 40 MiB APPEND before login`,
      `LITERAL+ "${plus[0]?.answer}", closed by the server: ${closed} of ${plus.length}, after ≤ ${Math.max(...plus.map((o) => o.closedAfterMs))} ms, ≤ ${mib(Math.max(...plus.map((o) => o.written)))} written`,
      `synchronizing "${sync[0]?.answer}", '+' offered ${sync.filter((o) => o.continued).length} of ${sync.length}`,
    ].join("; ");
  },
};

export default scenario;
