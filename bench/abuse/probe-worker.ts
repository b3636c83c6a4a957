/**
 * Runs beside an abuse scenario, on its own thread so the scenario's client work does not delay
 * it: every 100 ms a `/healthz`, an IMAP NOOP and an SMTP EHLO on connections of their own, plus
 * the server process's RSS. Posts the samples back when told to stop. PROBE_DEBUG=1 prints why a
 * round failed.
 */
import { readFileSync } from "node:fs";
import { imapQuote, LineClient, smtpReply } from "./line-client.ts";
import type { ProbeSamples, ProbeSetup } from "./standalone.ts";

declare const self: Worker;

const PROBE_FROM = "127.0.0.250";

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function smtpConnection(port: number): Promise<LineClient> {
  const c = await LineClient.connect(port, { tls: false, from: PROBE_FROM });
  await smtpReply(c);
  return c;
}

self.onmessage = async (event: MessageEvent<ProbeSetup | "stop">) => {
  if (event.data === "stop") return;
  const setup = event.data;
  const samples: ProbeSamples = { healthz: [], imapNoop: [], smtpEhlo: [], rss: [], failures: 0 };
  const imap = await LineClient.connect(setup.ports.imaps, { tls: true, from: PROBE_FROM });
  await imap.line();
  imap.write(`p0 LOGIN ${imapQuote(setup.account.email)} ${imapQuote(setup.account.password)}\r\n`);
  const login = await imap.until("p0 ");
  if (!login?.at(-1)?.startsWith("p0 OK")) throw new Error(`probe login failed: ${login?.join(" | ")}`);
  // smtp-server closes a connection after 10 commands without AUTH: a fresh one every 8 EHLOs.
  let smtp = await smtpConnection(setup.ports.submission);
  let ehlos = 0;
  let stopping = false;
  self.onmessage = (e: MessageEvent<ProbeSetup | "stop">) => {
    if (e.data === "stop") stopping = true;
  };
  self.postMessage({ ready: true });
  let n = 0;
  while (!stopping) {
    const tick = performance.now();
    try {
      samples.healthz.push(await timed(() => fetch(`${setup.url}/healthz`).then((r) => r.text())));
      n += 1;
      samples.imapNoop.push(
        await timed(async () => {
          imap.write(`n${n} NOOP\r\n`);
          if (!(await imap.until(`n${n} `, 5000))) throw new Error("IMAP probe connection lost");
        }),
      );
      if (ehlos++ === 8 || smtp.closed) {
        smtp.close();
        smtp = await smtpConnection(setup.ports.submission);
        ehlos = 1;
      }
      samples.smtpEhlo.push(
        await timed(async () => {
          smtp.write("EHLO probe.example\r\n");
          if (!(await smtpReply(smtp, 5000))) throw new Error("SMTP probe connection lost");
        }),
      );
      samples.rss.push(rssOf(setup.pid));
    } catch (err) {
      if (process.env.PROBE_DEBUG) console.error("probe:", err);
      samples.failures += 1;
    }
    await Bun.sleep(Math.max(0, 100 - (performance.now() - tick)));
  }
  imap.close();
  smtp.close();
  self.postMessage({ samples });
};
