/**
 * IMAP slowloris: connections that never log in and send one byte a second (a LOGIN line that
 * never ends). Before the fix each byte re-armed the 60 s pre-login timer, so they stayed open
 * for as long as the client liked. Bounded: the login deadline plus 10 s.
 */
import { LineClient } from "./line-client.ts";
import { type AbuseScenario, type Figures, limitsOf, runStandalone } from "./standalone.ts";

const CONNECTIONS = 20;
const PAYLOAD = "a1 LOGIN slow@agents.localhost ";

export const scenario: AbuseScenario = {
  name: `IMAP slowloris (${CONNECTIONS} connections, 1 byte/s before login)`,
  async run(target): Promise<Figures> {
    const deadlineS = limitsOf(target).imapLoginTimeoutS;
    const boundMs = (deadlineS + 10) * 1000;
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, () => LineClient.connect(target.ports.imaps, { tls: true })),
    );
    const opened = Date.now();
    await Promise.all(clients.map((c) => c.line()));
    let sent = 0;
    const trickle = setInterval(() => {
      for (const c of clients) c.write(PAYLOAD[sent % PAYLOAD.length] ?? "x");
      sent += 1;
    }, 1000);
    const lastLines: string[] = [];
    await Promise.all(
      clients.map(async (c) => {
        // Whatever the server says before it closes (its BYE), then the close itself.
        for (;;) {
          const line = await c.line(Math.max(0, opened + boundMs - Date.now()));
          if (line === null) break;
          lastLines.push(line);
        }
      }),
    );
    clearInterval(trickle);
    const lifetimes = clients.filter((c) => c.closed).map((c) => (c.closedAt - opened) / 1000);
    for (const c of clients) c.close();
    const byes = lastLines.filter((l) => l.startsWith("* BYE"));
    return {
      "login deadline (AGENTBOX_IMAP_LOGIN_TIMEOUT_S)": `${deadlineS} s`,
      "bytes trickled per connection": sent,
      "closed by the server": `${lifetimes.length} of ${CONNECTIONS}`,
      "open for (min / max)": lifetimes.length
        ? `${Math.min(...lifetimes).toFixed(1)} s / ${Math.max(...lifetimes).toFixed(1)} s`
        : "(none closed)",
      "the server's last word": byes[0] ?? "(no BYE)",
      "target: all closed at the deadline":
        lifetimes.length === CONNECTIONS && Math.max(...lifetimes) < deadlineS + 2 ? "met" : "MISSED",
    };
  },
};

// Alone, with a 10 s deadline so the run stays short (the default is 60 s).
if (import.meta.main) await runStandalone(scenario, { AGENTBOX_IMAP_LOGIN_TIMEOUT_S: "10" });
