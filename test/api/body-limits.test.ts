import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LargeBodies } from "../../src/api/large-bodies.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createAccount } from "./helpers.ts";

/**
 * Request bodies and authentication (issue 12, defect 2): nothing of a body is read before the
 * caller is known, and only AGENTBOX_HTTP_MAX_LARGE_BODIES large bodies are read at once.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_HTTP_MAX_LARGE_BODIES: "1" });
});
afterAll(() => t.stop());

const CHUNK = new Uint8Array(64 * 1024).fill(120);

/** A chunked body of `total` bytes (no Content-Length), produced as it is read. */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += CHUNK.length;
      controller.enqueue(CHUNK);
    },
  });
}

/** The highest RSS growth (MB) while `work` runs, sampled every 10 ms. */
async function rssGrowth(work: Promise<unknown>): Promise<number> {
  Bun.gc(true);
  const idle = process.memoryUsage.rss();
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  await work;
  clearInterval(timer);
  return (peak - idle) / 1e6;
}

const post = (key: string, body: ReadableStream<Uint8Array> | string) =>
  fetch(`${t.url}/v3/grants/g/messages/send`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body,
  });

describe("bodies before authentication", () => {
  test("three 50 MiB chunked bodies with a wrong key: 401 at once, no memory spent on them", async () => {
    let statuses: number[] = [];
    const growth = await rssGrowth(
      (async () => {
        const replies = await Promise.all([0, 1, 2].map(() => post("wrong", chunked(50 * 1024 * 1024))));
        statuses = replies.map((r) => r.status);
        for (const r of replies)
          expect(((await r.json()) as { error: { type: string } }).error.type).toBe("unauthorized");
      })(),
    );
    expect(statuses).toEqual([401, 401, 401]);
    expect(growth).toBeLessThan(100);
  });
});

describe("large bodies of authenticated callers", () => {
  test("beyond AGENTBOX_HTTP_MAX_LARGE_BODIES, a large body waits for its turn before it is read", async () => {
    const grant = await createAccount(t);
    let finishFirst = () => {};
    const held = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    let firstSent = false;
    // The first upload holds the only turn until the test lets it finish.
    const first = fetch(`${t.url}/v3/grants/${grant.id}/messages/send`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: new ReadableStream({
        async pull(controller) {
          if (firstSent) return controller.close();
          controller.enqueue(new TextEncoder().encode('{"to":[{"email":"a@b.example"}],'));
          await held;
          controller.enqueue(new TextEncoder().encode('"subject":"x","body":"y"}'));
          firstSent = true;
        },
      }),
    });
    await Bun.sleep(100);
    let secondAt = 0;
    const second = fetch(`${t.url}/v3/grants/${grant.id}/messages/send`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: chunked(2 * 1024 * 1024),
    }).then((r) => {
      secondAt = performance.now();
      return r;
    });
    await Bun.sleep(300);
    expect(secondAt).toBe(0);
    const releasedAt = performance.now();
    finishFirst();
    await (await first).text();
    const res = await second;
    expect(secondAt).toBeGreaterThan(releasedAt);
    expect(res.status).toBe(400); // not JSON: it was read, after its turn came
  });

  test("a turn that does not come in time is refused", async () => {
    const bodies = new LargeBodies(1, 50);
    const release = await bodies.acquire();
    expect(release).not.toBeNull();
    expect(await bodies.acquire()).toBeNull();
    release?.();
    const again = await bodies.acquire();
    expect(again).not.toBeNull();
    again?.();
  });
});

// Last: it blocks 127.0.0.1 for the rest of the file.
describe("an address blocked for failed attempts", () => {
  test("from an address blocked for failed attempts: 429 at once, body unread", async () => {
    for (let i = 0; i < 30; i++) await (await post(`wrong-${i}`, "{}")).text();
    let status = 0;
    const growth = await rssGrowth(
      (async () => {
        const res = await post("wrong", chunked(50 * 1024 * 1024));
        status = res.status;
        await res.text();
      })(),
    );
    expect(status).toBe(429);
    expect(growth).toBeLessThan(100);
  });
});
