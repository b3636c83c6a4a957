/**
 * IMAP slowloris: 20 connections that never log in and send one byte a second (a LOGIN line that
 * never ends). Before issue 12 each byte re-armed the 60 s pre-login timer, so they stayed open for
 * as long as the client liked. The server runs with a 10 s login deadline, which no byte extends.
 */
import { LineClient } from "./line-client.ts";
import type { AbuseScenario } from "./scenario.ts";

const CONNECTIONS = 20;
const LOGIN_DEADLINE_S = 10;
const PAYLOAD = "a1 LOGIN slow@agents.localhost ";

/** Whatever the server says (its BYE) until it closes, `until` passes or `signal` aborts. */
async function readToEnd(c: LineClient, until: number, signal: AbortSignal): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const line = await c.line(Math.max(0, Math.min(500, until - Date.now())));
    if (line !== null) lines.push(line);
    else if (c.closed || signal.aborted || Date.now() >= until) return lines;
  }
}

const scenario: AbuseScenario = {
  name: "IMAP slowloris",
  env: { AGENTBOX_IMAP_LOGIN_TIMEOUT_S: String(LOGIN_DEADLINE_S) },
  budgetMs: (LOGIN_DEADLINE_S + 10) * 1000,
  async run(target, signal) {
    const opened = Date.now();
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, () => LineClient.connect(target.ports.imaps, { tls: true })),
    );
    let sent = 0;
    const trickle = setInterval(() => {
      for (const c of clients) c.write(PAYLOAD[sent % PAYLOAD.length] ?? "x");
      sent += 1;
    }, 1000);
    const until = opened + (LOGIN_DEADLINE_S + 8) * 1000;
    const said = (await Promise.all(clients.map((c) => readToEnd(c, until, signal)))).flat();
    clearInterval(trickle);
    const lifetimes = clients.filter((c) => c.closed).map((c) => (c.closedAt - opened) / 1000);
    for (const c of clients) c.close();
    const span = lifetimes.length
      ? ` after ${Math.min(...lifetimes).toFixed(1)}–${Math.max(...lifetimes).toFixed(1)} s`
      : "";
    const bye = said.find((l) => l.startsWith("* BYE")) ?? "no BYE";
    return `${CONNECTIONS} connections at 1 B/s before login (deadline ${LOGIN_DEADLINE_S} s), ${sent} B each: ${lifetimes.length} closed by the server${span} ("${bye}"), ${CONNECTIONS - lifetimes.length} still open`;
  },
};

export default scenario;
