/**
 * What a client that has not logged in can make the server do: small literals only (no "+" for a
 * big one), an absolute deadline however it trickles bytes, and connection caps per client address
 * and in all.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as net from "node:net";
import * as tls from "node:tls";
import { ImapClient, type ImapFixture, imapFixture, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({
    AGENTBOX_IMAP_LOGIN_TIMEOUT_S: "1",
    AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP: "3",
    AGENTBOX_IMAP_MAX_CONNECTIONS_TOTAL: "5",
  });
});
afterAll(() => f.stop());

let nextHost = 30;
function freshAddress(): string {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

const connect = (from = freshAddress()) => ImapClient.connect(f.port, { localAddress: from });

describe("literals before login", () => {
  test("a big synchronizing APPEND literal gets BAD, not '+ Ready'; the connection goes on", async () => {
    const c = await connect();
    c.write("a1 APPEND INBOX {41943040}\r\n");
    expect(await c.line()).toBe(
      "a1 BAD Literal of 41943040 bytes is over the literal limit before login (8192)",
    );
    expect((await c.transact("a2 NOOP")).tagged).toBe("a2 OK NOOP completed");
    c.close();
  });

  test("a big LITERAL+ before login: BAD, BYE, closed (its bytes are never held)", async () => {
    const c = await connect();
    c.write(`a1 APPEND INBOX {41943040+}\r\n${"x".repeat(64 * 1024)}`);
    expect(await c.line()).toBe(
      "a1 BAD Literal of 41943040 bytes is over the literal limit before login (8192)",
    );
    expect(await c.line()).toBe("* BYE Closing: a non-synchronizing literal over the limit was sent");
    await Bun.sleep(100);
    expect(c.closed).toBe(true);
  });

  test("a client that streams on after the server closed is dropped, its bytes not read", async () => {
    // Half-open: the client does not close when the server does.
    const raw = new net.Socket({ allowHalfOpen: true });
    raw.connect({ host: "127.0.0.1", port: f.port, localAddress: freshAddress() });
    const socket = tls.connect({ socket: raw, rejectUnauthorized: false });
    const lines: string[] = [];
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => {
      text += d;
      lines.push(...text.split("\r\n").slice(0, -1));
      text = text.slice(text.lastIndexOf("\r\n") + 2);
    });
    const closed = new Promise<number>((resolve) => {
      socket.on("close", () => resolve(performance.now()));
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => socket.once("secureConnect", () => resolve()));
    socket.write("a1 APPEND INBOX {41943040+}\r\n");
    const started = performance.now();
    // It ignores the server's close and keeps sending its 40 MiB.
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    let sent = 0;
    const pump = async () => {
      while (sent < 40 * 1024 * 1024 && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
      }
    };
    void pump();
    const at = await Promise.race([closed, Bun.sleep(4000).then(() => Number.NaN)]);
    socket.destroy();
    expect(lines).toContain("a1 BAD Literal of 41943040 bytes is over the literal limit before login (8192)");
    expect(at - started).toBeLessThan(3000);
  });

  test("a LOGIN whose password is a literal still works", async () => {
    const { email } = await f.account();
    const c = await connect();
    c.write(`a1 LOGIN ${email} {${PASSWORD.length}}\r\n`);
    expect(await c.line()).toStartWith("+ ");
    c.write(`${PASSWORD}\r\n`);
    expect((await c.until("a1")).tagged).toStartWith("a1 OK");
    c.close();
  });

  test("after login, APPEND literals up to APPENDLIMIT get '+' as before", async () => {
    const { email } = await f.account();
    const c = await connect();
    await c.login(email);
    c.write("a1 APPEND INBOX {100000}\r\n");
    expect(await c.line()).toStartWith("+ ");
    c.close();
  });
});

describe("the login deadline is absolute", () => {
  test("a client trickling bytes is closed at the deadline (AGENTBOX_IMAP_LOGIN_TIMEOUT_S)", async () => {
    const c = await connect();
    const started = performance.now();
    const trickle = setInterval(() => c.write("x"), 150);
    try {
      expect(await c.line(5000)).toBe("* BYE Not logged in within 1 seconds; closing");
    } finally {
      clearInterval(trickle);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("nor do complete commands move it", async () => {
    const c = await connect();
    const started = performance.now();
    let tag = 0;
    for (;;) {
      const line = await c.line(5000).catch(() => "closed");
      if (line.startsWith("* BYE")) break;
      expect(performance.now() - started).toBeLessThan(2000);
      await Bun.sleep(100);
      c.write(`n${tag++} NOOP\r\n`);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("an AUTHENTICATE waiting for its response does not hold the connection open", async () => {
    const c = await connect();
    c.write("a1 AUTHENTICATE PLAIN\r\n");
    expect(await c.line()).toBe("+ ");
    expect(await c.line(5000)).toBe("* BYE Not logged in within 1 seconds; closing");
  });

  test("a logged-in session is not subject to it", async () => {
    const { email } = await f.account();
    const c = await connect();
    await c.login(email);
    await Bun.sleep(1500);
    expect((await c.transact("a2 NOOP")).tagged).toBe("a2 OK NOOP completed");
    c.close();
  });
});

describe("connections per address and in all", () => {
  test("over the per-address cap: BYE [UNAVAILABLE] in place of the greeting; a freed slot is reusable", async () => {
    const from = freshAddress();
    const open = [await connect(from), await connect(from), await connect(from)];
    const extra = await connect(from);
    expect(extra.greeting).toBe(
      "* BYE [UNAVAILABLE] Too many connections from your address (at most 3); try again later",
    );
    await Bun.sleep(100);
    expect(extra.closed).toBe(true);
    open[0]?.close();
    await Bun.sleep(100);
    const again = await connect(from);
    expect(again.greeting).toStartWith("* OK [CAPABILITY");
    for (const c of [...open, again]) c.close();
    await Bun.sleep(100);
  });

  test("over the total cap, whatever the address", async () => {
    const open: ImapClient[] = [];
    for (let i = 0; i < 5; i++) open.push(await connect());
    for (const c of open) expect(c.greeting).toStartWith("* OK");
    const extra = await connect();
    expect(extra.greeting).toBe(
      "* BYE [UNAVAILABLE] Too many connections to this server (at most 5); try again later",
    );
    for (const c of open) c.close();
    await Bun.sleep(100);
    expect((await connect()).greeting).toStartWith("* OK");
  });
});
