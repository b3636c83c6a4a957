/**
 * 1,000 garbage IMAP connections at once from one address: a third send plain bytes to the TLS
 * port (no handshake), a third complete TLS and send garbage lines and an absurd literal marker, a
 * third complete TLS and say nothing. Each is held until the server closes it or 10 s pass.
 * Before the fix all were accepted (500 TLS connections in 0.8 s) and kept until their timers.
 */
import { LineClient } from "./line-client.ts";
import { type AbuseScenario, bounded, type Figures, limitsOf, runStandalone } from "./standalone.ts";

const CONNECTIONS = 1000;
const HOLD_MS = 10_000;

type Kind = "plain" | "garbage" | "silent";

interface Outcome {
  kind: Kind;
  connected: boolean;
  greeting: string | null;
  closedByServer: boolean;
}

async function one(port: number, kind: Kind): Promise<Outcome> {
  let c: LineClient;
  try {
    c = await LineClient.connect(port, { tls: kind !== "plain", connectTimeoutMs: HOLD_MS });
  } catch {
    return { kind, connected: false, greeting: null, closedByServer: true };
  }
  if (kind === "plain") c.write(Buffer.alloc(2048, 0x41));
  const greeting = kind === "plain" ? null : await c.line(HOLD_MS);
  if (kind === "garbage") c.write(`${"\u0001garbage ".repeat(50)}\r\n* {999999999}\r\n`);
  const closedByServer = await c.waitClosed(HOLD_MS);
  c.close();
  return { kind, connected: true, greeting, closedByServer };
}

export const scenario: AbuseScenario = {
  name: `${CONNECTIONS} garbage IMAP connections from one address`,
  async run(target): Promise<Figures> {
    const started = performance.now();
    const kinds: Kind[] = ["plain", "garbage", "silent"];
    const failed: Outcome = { kind: "silent", connected: false, greeting: null, closedByServer: false };
    const outcomes = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) =>
        bounded(one(target.ports.imaps, kinds[i % 3] as Kind), HOLD_MS * 2 + 5000, failed),
      ),
    );
    const tls = outcomes.filter((o) => o.kind !== "plain");
    const refused = tls.filter((o) => o.greeting?.startsWith("* BYE [UNAVAILABLE]"));
    const greeted = tls.filter((o) => o.greeting?.startsWith("* OK"));
    return {
      "TLS connections greeted (* OK)": greeted.length,
      "TLS connections refused at once (* BYE [UNAVAILABLE])": refused.length,
      "per-address cap (AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP)": limitsOf(target).imapConnectionsPerIp,
      "garbage TLS connections closed by the server within 10 s": `${
        outcomes.filter((o) => o.kind === "garbage" && o.closedByServer).length
      } of ${outcomes.filter((o) => o.kind === "garbage").length}`,
      "plain bytes to the TLS port: closed by the server": `${
        outcomes.filter((o) => o.kind === "plain" && o.closedByServer).length
      } of ${outcomes.filter((o) => o.kind === "plain").length}`,
      "connects that failed": outcomes.filter((o) => !o.connected).length,
      "scenario took": `${((performance.now() - started) / 1000).toFixed(1)} s`,
    };
  },
};

if (import.meta.main) await runStandalone(scenario);
