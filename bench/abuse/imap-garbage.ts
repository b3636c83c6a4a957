/**
 * 1,000 garbage IMAP connections at once from one address (127.0.0.6, so that the runner's probes
 * on 127.0.0.1 stay other clients): a third send plain bytes to the TLS port (no handshake), a
 * third complete TLS and send garbage lines and an absurd literal marker, a third complete TLS and
 * say nothing. Each is held until the server closes it or 10 s pass. Before issue 12 all were
 * accepted (500 TLS connections in 0.8 s) and kept until their timers.
 */
import { bounded } from "./bounded.ts";
import { LineClient } from "./line-client.ts";
import type { AbuseScenario } from "./scenario.ts";

const CONNECTIONS = 1000;
const PER_ADDRESS_CAP = 100;
const FROM = "127.0.0.6";
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
    c = await LineClient.connect(port, { tls: kind !== "plain", from: FROM, connectTimeoutMs: HOLD_MS });
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

const scenario: AbuseScenario = {
  name: "1,000 garbage IMAP connections",
  env: { AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP: String(PER_ADDRESS_CAP) },
  budgetMs: 3 * HOLD_MS + 5000,
  async run(target, signal) {
    const kinds: Kind[] = ["plain", "garbage", "silent"];
    const unfinished = (kind: Kind): Outcome => ({
      kind,
      connected: false,
      greeting: null,
      closedByServer: false,
    });
    const outcomes = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) => {
        const kind = kinds[i % 3] as Kind;
        return bounded(one(target.ports.imaps, kind), 3 * HOLD_MS, signal, unfinished(kind));
      }),
    );
    const tls = outcomes.filter((o) => o.kind !== "plain");
    const greeted = tls.filter((o) => o.greeting?.startsWith("* OK")).length;
    const refused = tls.filter((o) => o.greeting?.startsWith("* BYE [UNAVAILABLE]")).length;
    const closed = (kind: Kind) => {
      const of = outcomes.filter((o) => o.kind === kind && o.connected);
      return `${of.filter((o) => o.closedByServer).length} of ${of.length}`;
    };
    return [
      `from ${FROM} (cap ${PER_ADDRESS_CAP} an address): TLS greeted ${greeted}, refused at once (* BYE [UNAVAILABLE]) ${refused}`,
      `closed by the server within 10 s: garbage ${closed("garbage")}, plain bytes to the TLS port ${closed("plain")}, silent ${closed("silent")}`,
      `connects failed or unfinished ${outcomes.filter((o) => !o.connected).length}`,
    ].join("; ");
  },
};

export default scenario;
