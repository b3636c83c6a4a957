import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { GreetedClients } from "../../protocols/smtp/greeting.ts";
import type { TestServer } from "../support/server.ts";
import { startSmtpTestServer } from "./support/smtp.ts";

/**
 * The MX's greeting pause (protocols/smtp/greeting.ts): strangers wait for the 220 and are
 * refused if they talk first; a client that waited and went on to MAIL FROM is greeted at once.
 * Each test connects from its own loopback address, so each is a stranger at first.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startSmtpTestServer();
});
afterAll(() => t.stop());

/** Connects from `from`, optionally writes at once, and returns the first reply and how long it took. */
async function firstReply(from: string, writeAtOnce?: string): Promise<{ text: string; ms: number }> {
  const sock = connect({ host: "127.0.0.1", port: t.server.ports.mx, localAddress: from });
  await new Promise((resolve) => sock.once("connect", resolve));
  const started = performance.now();
  if (writeAtOnce) sock.write(writeAtOnce);
  const text = await new Promise<string>((resolve) => {
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.endsWith("\r\n")) resolve(buf);
    });
    setTimeout(() => resolve(buf), 2000);
  });
  const ms = performance.now() - started;
  sock.destroy();
  return { text, ms };
}

/** A whole polite session up to MAIL FROM, then QUIT. */
async function politeSession(from: string): Promise<string[]> {
  const sock = connect({ host: "127.0.0.1", port: t.server.ports.mx, localAddress: from });
  const replies: string[] = [];
  const script = ["EHLO polite.example\r\n", "MAIL FROM:<a@polite.example>\r\n", "QUIT\r\n"];
  await new Promise<void>((resolve) => {
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString();
      const lines = buf.split("\r\n");
      buf = lines.pop() ?? "";
      for (const line of lines) {
        if (/^\d{3}-/.test(line)) continue;
        replies.push(line);
        const next = script.shift();
        if (next) sock.write(next);
      }
    });
    sock.on("close", () => resolve());
  });
  return replies;
}

describe("the greeting pause", () => {
  test("a stranger that talks before the greeting is refused: 421", async () => {
    const { text } = await firstReply("127.0.0.21", "EHLO early.example\r\n");
    expect(text).toMatch(/^421 .*too soon/);
  });

  test("a stranger waits for the greeting; once it has gone on to MAIL FROM it is greeted at once", async () => {
    const first = await firstReply("127.0.0.22");
    expect(first.text).toMatch(/^220 /);
    expect(first.ms).toBeGreaterThan(90);

    const replies = await politeSession("127.0.0.22");
    expect(replies.map((r) => r.slice(0, 3))).toEqual(["220", "250", "250", "221"]);

    const again = await firstReply("127.0.0.22");
    expect(again.text).toMatch(/^220 /);
    expect(again.ms).toBeLessThan(50);
    // Another address is still a stranger.
    expect((await firstReply("127.0.0.23")).ms).toBeGreaterThan(90);
  });

  test("an early talker never earns the shortcut", async () => {
    await firstReply("127.0.0.24", "EHLO early.example\r\nMAIL FROM:<a@b.example>\r\n");
    const next = await firstReply("127.0.0.24");
    expect(next.text).toMatch(/^220 /);
    expect(next.ms).toBeGreaterThan(90);
  });
});

describe("GreetedClients", () => {
  test("a client is known until its time runs out", async () => {
    const greeted = new GreetedClients(50);
    expect(greeted.knows("192.0.2.1")).toBe(false);
    greeted.remember("192.0.2.1");
    expect(greeted.knows("192.0.2.1")).toBe(true);
    await Bun.sleep(60);
    expect(greeted.knows("192.0.2.1")).toBe(false);
  });

  test("beyond its size the client remembered longest ago is forgotten first", () => {
    const greeted = new GreetedClients(60_000, 2);
    greeted.remember("192.0.2.1");
    greeted.remember("192.0.2.2");
    greeted.remember("192.0.2.1"); // proved itself again: now the newest
    greeted.remember("192.0.2.3");
    expect(greeted.knows("192.0.2.1")).toBe(true);
    expect(greeted.knows("192.0.2.2")).toBe(false);
    expect(greeted.knows("192.0.2.3")).toBe(true);
  });
});
