/**
 * 1,000 garbage connections from one address: 500 to the MX and 500 to HTTP, opened at once, each
 * sending 2 KiB of random bytes and then 64 more every second, held for the scenario's time.
 */
import { randomBytes } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import type { AbuseScenario } from "./scenario.ts";

const PER_LISTENER = 500;

interface Outcome {
  closedByServer: boolean;
  failed: boolean;
}

async function garbage(port: number, signal: AbortSignal): Promise<Outcome> {
  const outcome: Outcome = { closedByServer: false, failed: false };
  const socket = tcpConnect(port, "127.0.0.1");
  socket.on("error", () => {
    outcome.failed = true;
  });
  socket.on("close", () => {
    if (!signal.aborted) outcome.closedByServer = true;
  });
  socket.on("data", () => {});
  socket.write(randomBytes(2048));
  while (!signal.aborted && !outcome.closedByServer && !outcome.failed) {
    await Bun.sleep(1000);
    if (!socket.destroyed) socket.write(randomBytes(64));
  }
  socket.destroy();
  return outcome;
}

const scenario: AbuseScenario = {
  name: "1,000 garbage connections",
  budgetMs: 15_000,
  async run(target, signal) {
    const port = Number(new URL(target.http).port);
    const [mx, http] = await Promise.all([
      Promise.all(Array.from({ length: PER_LISTENER }, () => garbage(target.ports.mx, signal))),
      Promise.all(Array.from({ length: PER_LISTENER }, () => garbage(port, signal))),
    ]);
    const tally = (list: Outcome[]) =>
      `${list.filter((o) => o.closedByServer).length} closed by the server, ${list.filter((o) => o.failed).length} failed, ${list.filter((o) => !o.closedByServer && !o.failed).length} held`;
    return `MX: ${tally(mx)}; HTTP: ${tally(http)}`;
  },
};

export default scenario;
