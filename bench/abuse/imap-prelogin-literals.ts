/**
 * Pre-login literals: on 5 connections that never log in, `APPEND INBOX` with a 40 MiB literal:
 * four LITERAL+ (`{41943040+}`, the bytes streamed right behind the command) and one synchronizing
 * (`{41943040}`, the bytes sent only after a `+`). Before the fix the server buffered them all
 * (+199 MB) and offered `+ Ready` to the synchronizing one. The five go again as soon as they are
 * done, for 5 s (so that other clients are measured under the attack, not after it); each wave is
 * bounded at 20 s.
 */
import { LineClient } from "./line-client.ts";
import { type AbuseScenario, type AbuseTarget, bounded, type Figures, runStandalone } from "./standalone.ts";

const LITERAL = 40 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x78);
const BOUND_MS = 20_000;
const ATTACK_MS = 5_000;

interface Outcome {
  answer: string;
  /** The server offered a continuation ("+ …") for the synchronizing literal. */
  continued: boolean;
  /** Bytes of the literal the client managed to write before the server closed. */
  written: number;
  closedByServer: boolean;
  closedAfterMs: number;
}

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

export const scenario: AbuseScenario = {
  name: "IMAP pre-login literals (5 connections × 40 MiB APPEND)",
  async run(target): Promise<Figures> {
    const started = performance.now();
    const timedOut: Outcome = {
      answer: "(timed out)",
      continued: false,
      written: 0,
      closedByServer: false,
      closedAfterMs: BOUND_MS,
    };
    const outcomes: Outcome[] = [];
    let waves = 0;
    while (performance.now() - started < ATTACK_MS) {
      waves += 1;
      outcomes.push(
        ...(await Promise.all([
          ...[1, 2, 3, 4].map((i) => bounded(literalPlus(target, i), BOUND_MS, timedOut)),
          bounded(synchronizing(target), BOUND_MS, timedOut),
        ])),
      );
    }
    const plus = outcomes.filter((_, i) => i % 5 !== 4);
    const sync = outcomes.filter((_, i) => i % 5 === 4);
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    return {
      "waves of 5 connections": waves,
      "LITERAL+ answer": plus[0]?.answer ?? "",
      "LITERAL+ connections closed by the server": `${plus.filter((o) => o.closedByServer).length} of ${plus.length}`,
      "LITERAL+ bytes written before the close (max)": mib(Math.max(...plus.map((o) => o.written))),
      "LITERAL+ closed after (max)": `${Math.max(...plus.map((o) => o.closedAfterMs))} ms`,
      "synchronizing: answer": sync[0]?.answer ?? "",
      "synchronizing: '+' offered": `${sync.filter((o) => o.continued).length} of ${sync.length}`,
      "scenario took": `${((performance.now() - started) / 1000).toFixed(1)} s`,
    };
  },
};

if (import.meta.main) await runStandalone(scenario);
