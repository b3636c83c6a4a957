import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { DestinationRefused, webhookRequest } from "../../src/webhooks/http-request.ts";
import { isPrivateAddress } from "../../src/webhooks/private-addresses.ts";
import { createApplication, expectError } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { Receiver } from "./receiver.ts";

/**
 * Where webhooks may go (issue 12, defect 5): another application's webhooks cannot reach
 * private, loopback or link-local addresses however they are spelled or resolved, replies are read
 * up to a small cap, and failures do not tell what answered.
 */

let t: TestServer;
let receiver: Receiver;
let other: { key: string };
beforeAll(async () => {
  t = await startTestServer();
  receiver = Receiver.start();
  other = await createApplication(t, "tenant");
});
afterAll(async () => {
  await t.stop();
  await receiver.stop();
});

const testEvent = (url: string, key?: string) =>
  api(t, "POST", "/v3/webhooks/send-test-event", { trigger_type: "folder.created", webhook_url: url }, key);

/** Every spelling of loopback a URL parser accepts, on the receiver's port. */
const loopbackSpellings = (port: number) => [
  `http://127.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`,
  `http://127.1:${port}/hook`,
  `http://2130706433:${port}/hook`,
  `http://0x7f000001:${port}/hook`,
  `http://0177.0.0.1:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://0.0.0.0:${port}/hook`,
];

describe("private addresses", () => {
  test("loopback, private, link-local and their IPv6 forms are private; public ones are not", () => {
    for (const url of loopbackSpellings(80).filter((u) => !u.includes("localhost"))) {
      expect(isPrivateAddress(new URL(url).hostname), url).toBe(true);
    }
    for (const a of [
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::",
      "64:ff9b::7f00:1",
      "2002:a00:1::",
      "::ffff:a9fe:a9fe",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808"]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});

describe("another application's webhooks (AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS=operator, the default)", () => {
  test("send-test-event to any spelling of loopback is refused, and nothing is sent", async () => {
    for (const url of loopbackSpellings(receiver.port)) {
      expectError(
        await testEvent(url, other.key),
        400,
        "invalid_request_error",
        "AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS",
      );
    }
    expect(receiver.deliveries).toHaveLength(0);
  });

  test("creating a webhook to loopback is refused before the challenge is sent", async () => {
    const res = await api(
      t,
      "POST",
      "/v3/webhooks",
      { webhook_url: `http://localhost:${receiver.port}/hook`, trigger_types: ["message.created"] },
      other.key,
    );
    expectError(res, 400, "invalid_request_error", "private, loopback or link-local");
  });

  test("a host name is checked at connect time, on the addresses it resolves to", async () => {
    const refused = await webhookRequest({
      url: `http://localhost:${receiver.port}/hook`,
      method: "POST",
      body: new Uint8Array(1),
      timeoutMs: 2000,
      reach: { privateAllowed: false },
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(DestinationRefused);
    expect(receiver.deliveries).toHaveLength(0);
  });

  test("the operator's application may reach loopback", async () => {
    const res = await testEvent(receiver.url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await receiver.waitFor(1);
  });
});

describe("failures do not tell what answered", () => {
  const servers: Server[] = [];
  const listen = async (onConnection: (socket: Socket) => void): Promise<number> => {
    const server = createServer(onConnection);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
  };
  afterAll(() => {
    for (const s of servers) s.close();
  });

  test("a closed port, a reset and a non-HTTP answer read the same", async () => {
    const closed = await listen(() => {});
    servers.at(-1)?.close();
    const reset = await listen((socket) => socket.resetAndDestroy());
    const garbage = await listen((socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n"));
    const messages: string[] = [];
    for (const port of [closed, reset, garbage]) {
      const res = await testEvent(`http://127.0.0.1:${port}/hook`);
      expect(res.status).toBe(400);
      messages.push(res.body.error.message.replace(String(port), "PORT"));
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).not.toMatch(/ECONN|EPIPE|SSH|parse error|hang up/i);
  });
});

describe("replies are read up to a small cap", () => {
  test("six 50 MiB replies cost no memory, and the test events succeed", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const huge = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => {
        let sent = 0;
        return new Response(
          new ReadableStream({
            pull(controller) {
              if (sent >= 50 * 1024 * 1024) return controller.close();
              sent += chunk.length;
              controller.enqueue(chunk);
            },
          }),
        );
      },
    });
    try {
      Bun.gc(true);
      const idle = process.memoryUsage.rss();
      let peak = idle;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 10);
      const replies = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(() => testEvent(`http://127.0.0.1:${huge.port}/hook`)),
      );
      clearInterval(timer);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect((peak - idle) / 1e6).toBeLessThan(60);
    } finally {
      huge.stop(true);
    }
  });
});

describe("the setting", () => {
  test("all: another application may reach loopback; none: not even the operator's", async () => {
    const all = await startTestServer({ AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS: "all" });
    const none = await startTestServer({ AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS: "none" });
    try {
      const tenant = await createApplication(all, "tenant");
      const ok = await api(
        all,
        "POST",
        "/v3/webhooks/send-test-event",
        { trigger_type: "folder.created", webhook_url: receiver.url },
        tenant.key,
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const refused = await api(none, "POST", "/v3/webhooks/send-test-event", {
        trigger_type: "folder.created",
        webhook_url: receiver.url,
      });
      expectError(refused, 400, "invalid_request_error", "AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS");
    } finally {
      await all.stop();
      await none.stop();
    }
  });
});
