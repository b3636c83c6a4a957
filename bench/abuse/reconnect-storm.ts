/**
 * A client that reconnects as fast as it can, from one address (127.0.0.2): 16 loops, each
 * opening a TLS connection to IMAPS or SMTPS (alternately), reading the greeting (or the refusal),
 * closing, and starting again, for 10 s. Each TLS handshake the server completes costs its event
 * loop CPU. With AGENTBOX_CONNECTION_RATE_PER_S (issue 12) the address is held to its rate: the
 * rest are closed as they open (SMTPS before any handshake). Line: connections tried, greeted
 * and refused, per second.
 */
import { LineClient } from "./line-client.ts";
import type { AbuseScenario, AbuseTarget } from "./scenario.ts";

const LOOPS = 16;
const FROM = "127.0.0.2";

export function reconnectStorm(name: string, env: Record<string, string>): AbuseScenario {
  return {
    name,
    env,
    budgetMs: 10_000,
    async run(target: AbuseTarget, signal: AbortSignal) {
      const started = performance.now();
      let greeted = 0;
      let refused = 0;
      const loop = async (i: number) => {
        for (let n = 0; !signal.aborted; n++) {
          const port = (i + n) % 2 === 0 ? target.ports.imaps : target.ports.smtps;
          try {
            const c = await LineClient.connect(port, { tls: true, from: FROM, connectTimeoutMs: 5000 });
            const line = await c.line(5000);
            c.close();
            if (line?.startsWith("* OK") || line?.startsWith("220 ")) greeted++;
            else refused++;
          } catch {
            refused++;
          }
        }
      };
      await Promise.all(Array.from({ length: LOOPS }, (_, i) => loop(i)));
      const s = (performance.now() - started) / 1000;
      const rate = (n: number) => `${Math.round(n / s)}/s`;
      return `${greeted + refused} connections in ${s.toFixed(1)} s (${rate(greeted + refused)}): ${greeted} greeted (${rate(greeted)}), ${refused} refused (${rate(refused)})`;
    },
  };
}

export default reconnectStorm("reconnect storm (rate limit)", {});
