/**
 * Unauthenticated HTTP bodies: three 50 MiB chunked POSTs (no Content-Length) at once with a wrong
 * key, round after round (once the address is blocked for failed attempts, the answers are 429).
 */
import type { AbuseScenario } from "./scenario.ts";

const CHUNK = new Uint8Array(64 * 1024).fill(120);
const SIZE = 50 * 1024 * 1024;

function chunked(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= SIZE) return controller.close();
      sent += CHUNK.length;
      controller.enqueue(CHUNK);
    },
  });
}

const scenario: AbuseScenario = {
  name: "50 MiB bodies ×3",
  budgetMs: 15_000,
  async run(target, signal) {
    const statuses = new Map<string, number>();
    let rounds = 0;
    while (!signal.aborted) {
      rounds++;
      const replies = await Promise.all(
        [0, 1, 2].map(() =>
          fetch(`${target.http}/v3/grants/${target.account.id}/messages/send`, {
            method: "POST",
            headers: { authorization: "Bearer abx_wrong_key", "content-type": "application/json" },
            body: chunked(),
          }).then(
            async (r) => {
              await r.arrayBuffer();
              return String(r.status);
            },
            () => "error",
          ),
        ),
      );
      for (const s of replies) statuses.set(s, (statuses.get(s) ?? 0) + 1);
      await Bun.sleep(50);
    }
    return `${rounds} rounds; ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(", ")}`;
  },
};

export default scenario;
