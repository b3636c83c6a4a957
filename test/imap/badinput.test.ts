/** Garbage, oversized input and abusive clients: clear errors, no crash, other sessions unaffected. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as tls from "node:tls";
import { deliver, ImapClient, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("bad input", () => {
  test("binary garbage gets BAD lines, and the connection still works", async () => {
    const c = await ImapClient.connect(f.port);
    c.write(Buffer.from([0x00, 0xff, 0xfe, 0x20, 0x41, 0x0d, 0x0a]));
    expect(await c.line()).toBe("* BAD invalid tag");
    c.write("a1 FETCH\x00 1\r\n");
    expect((await c.line()).startsWith("a1 BAD")).toBe(true);
    expect((await c.transact("a2 CAPABILITY")).tagged).toBe("a2 OK CAPABILITY completed");
    c.close();
  });

  test("a line over the limit: BAD, then BYE and disconnect", async () => {
    const c = await ImapClient.connect(f.port);
    c.write(`a1 LOGIN ${"x".repeat(70 * 1024)}`);
    expect(await c.line()).toBe("a1 BAD command line too long (limit 65536 bytes)");
    expect(await c.line()).toBe("* BYE Closing: the command could not be read");
    await new Promise((r) => setTimeout(r, 100));
    expect(c.closed).toBe(true);
  });

  test("a literal over the limit of a non-APPEND command is BAD without reading it", async () => {
    const c = await f.client((await f.account()).email);
    expect((await c.transact("a1 SELECT {2000000}")).tagged).toBe(
      "a1 BAD Literal of 2000000 bytes is over the literal limit for this command (1048576)",
    );
    expect((await c.transact("a2 NOOP")).tagged).toBe("a2 OK NOOP completed");
    c.close();
  });

  test("1,000 garbage connections: the server stays up, a working session is unaffected", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const worker = await f.client(email);
    await worker.ok("w0 SELECT INBOX");
    const garbage = async (i: number) => {
      const s = tls.connect({ host: "127.0.0.1", port: f.port, rejectUnauthorized: false });
      await new Promise<void>((resolve) => {
        s.once("secureConnect", () => {
          s.write(
            i % 3 === 0 ? Buffer.alloc(2000, i % 256) : `${"\x01garbage ".repeat(50)}\r\n{999999999}\r\n`,
          );
          setTimeout(() => {
            s.destroy();
            resolve();
          }, 20);
        });
        s.once("error", () => resolve());
      });
    };
    const started = performance.now();
    const batches: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      batches.push(garbage(i));
      if (batches.length === 100) {
        await Promise.all(batches);
        batches.length = 0;
        // The working session answers between waves.
        expect((await worker.transact(`w${i} FETCH 1 (FLAGS)`)).tagged).toBe(`w${i} OK FETCH completed`);
      }
    }
    await Promise.all(batches);
    expect(performance.now() - started).toBeLessThan(25_000);
    expect((await worker.transact("w-end UID FETCH 1 (UID)")).untagged).toEqual(["* 1 FETCH (UID 1)"]);
    await new Promise((r) => setTimeout(r, 200));
    expect(f.t.server.ports.imaps).toBe(f.port);
    // Connections that went away freed their state.
    const fresh = await ImapClient.connect(f.port);
    expect((await fresh.transact("x1 NOOP")).tagged).toBe("x1 OK NOOP completed");
    fresh.close();
  }, 60_000);
});

describe("a client that stops reading", () => {
  let g: ImapFixture;
  beforeAll(async () => {
    g = await imapFixture({ AGENTBOX_IMAP_AUTOLOGOUT_S: "1" });
  });
  afterAll(() => g.stop());

  test("in the middle of a large FETCH is disconnected after the autologout; others are unaffected", async () => {
    const { email, grantId } = await g.account();
    const big = message({ body: "x".repeat(2_000_000) });
    for (let i = 0; i < 5; i++) await deliver(g, grantId, big);
    const stuck = await g.client(email);
    await stuck.ok("a1 SELECT INBOX");
    (stuck.socket as tls.TLSSocket).pause();
    stuck.write("a2 FETCH 1:* BODY.PEEK[]\r\n");
    const other = await g.client(email);
    await other.ok("b1 SELECT INBOX");
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 500));
      expect((await other.transact(`b${i} NOOP`)).tagged).toBe(`b${i} OK NOOP completed`);
    }
    (stuck.socket as tls.TLSSocket).resume();
    await new Promise((r) => setTimeout(r, 300));
    expect(stuck.closed).toBe(true);
  }, 30_000);

  test("one that never reads again is dropped, not left waiting for its queue to drain", async () => {
    const { email, grantId } = await g.account();
    const big = message({ body: "x".repeat(2_000_000) });
    for (let i = 0; i < 5; i++) await deliver(g, grantId, big);
    const stuck = await g.client(email);
    await stuck.ok("a1 SELECT INBOX");
    (stuck.socket as tls.TLSSocket).pause();
    stuck.write("a2 FETCH 1:* BODY.PEEK[]\r\n");
    const closed = new Promise<void>((resolve) => stuck.socket.once("close", () => resolve()));
    const dropped = await Promise.race([closed.then(() => true), Bun.sleep(5_000).then(() => false)]);
    expect(dropped).toBe(true);
  }, 30_000);
});
