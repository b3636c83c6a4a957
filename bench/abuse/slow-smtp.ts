/**
 * Slowloris on SMTP: 50 sessions on submission (implicit TLS) and 50 on the MX, each sending one
 * byte a second of commands that never log in or reach DATA (every byte re-arms the idle
 * timeout). The server runs with a 10 s pre-login deadline; how long did the sessions last?
 */
import { type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { AbuseScenario } from "./scenario.ts";

const PER_LISTENER = 50;
const LINE = "NOOP\r\n";

async function trickle(open: () => Socket, signal: AbortSignal): Promise<number | null> {
  const started = Date.now();
  const socket = open();
  let closedAt: number | null = null;
  socket.on("close", () => {
    closedAt = Date.now();
  });
  socket.on("error", () => {});
  socket.on("data", () => {}); // read what the server says, its 421 and its FIN included
  for (let i = 0; closedAt === null && !signal.aborted; i++) {
    await Bun.sleep(1000);
    if (closedAt === null) socket.write(LINE[i % LINE.length] as string);
  }
  socket.destroy();
  return closedAt === null ? null : closedAt - started;
}

const scenario: AbuseScenario = {
  name: "slow SMTP clients",
  env: { AGENTBOX_SMTP_LOGIN_TIMEOUT_S: "10" },
  budgetMs: 16_000,
  async run(target, signal) {
    const submission = () =>
      tlsConnect({ host: "127.0.0.1", port: target.ports.smtps, ca: target.ca, servername: "localhost" });
    const mx = () => tcpConnect(target.ports.mx, "127.0.0.1");
    const lifetimes = await Promise.all([
      ...Array.from({ length: PER_LISTENER }, () => trickle(submission, signal)),
      ...Array.from({ length: PER_LISTENER }, () => trickle(mx, signal)),
    ]);
    const closed = lifetimes.filter((l): l is number => l !== null).sort((a, b) => a - b);
    const span = closed.length
      ? `${(closed[0] as number) / 1000}–${(closed.at(-1) as number) / 1000} s`
      : "—";
    return `${lifetimes.length} sessions at 1 B/s: ${closed.length} closed by the server after ${span}, ${lifetimes.length - closed.length} still open at the end`;
  },
};

export default scenario;
