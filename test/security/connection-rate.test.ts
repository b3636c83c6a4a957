import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as net from "node:net";
import * as tls from "node:tls";
import { ConnectionRate } from "../../src/security/connection-rate.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

/**
 * New connections per client address, a token bucket shared by the IMAP and SMTP listeners:
 * refused as the socket opens (no TLS handshake on the implicit-TLS ports; a 421 or a BYE in
 * plain text), the next one admitted once the bucket has refilled.
 */

describe("the bucket", () => {
  test("burst at once, then the rate; per address; 0 turns it off", () => {
    let now = 0;
    const rate = new ConnectionRate(2, 3, () => now);
    expect([1, 2, 3, 4].map(() => rate.admit("a"))).toEqual([true, true, true, false]);
    expect(rate.admit("b")).toBe(true);
    now = 499;
    expect(rate.admit("a")).toBe(false);
    now = 500;
    expect(rate.admit("a")).toBe(true);
    expect(rate.admit("a")).toBe(false);
    now = 60_000;
    expect([1, 2, 3, 4].map(() => rate.admit("a"))).toEqual([true, true, true, false]);
    const off = new ConnectionRate(0, 1, () => now);
    expect(Array.from({ length: 100 }, () => off.admit("a")).every(Boolean)).toBe(true);
  });

  test("an IPv6 client is counted by its /64", () => {
    const rate = new ConnectionRate(1, 2, () => 0);
    expect(rate.admit("2001:db8:1:2::1")).toBe(true);
    expect(rate.admit("2001:db8:1:2::ffff")).toBe(true);
    expect(rate.admit("2001:db8:1:2:3:4:5:6")).toBe(false);
    expect(rate.admit("2001:db8:1:3::1")).toBe(true);
    expect(rate.admit("::ffff:192.0.2.1")).toBe(true);
    expect(rate.admit("192.0.2.1")).toBe(true);
    expect(rate.admit("192.0.2.1")).toBe(false);
  });

  test("past the addresses it may track, the refilled buckets are forgotten", () => {
    let now = 0;
    const rate = new ConnectionRate(10, 10, () => now, 100);
    for (let i = 0; i < 100; i++) rate.admit(`old-${i}`);
    now = 2000;
    rate.admit("new");
    expect(rate.tracked).toBe(1);
  });
});

/** What a TLS client gets: the greeting line, or how the connection ended without one. */
function tlsGreeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ port, host: "127.0.0.1", rejectUnauthorized: false });
    let handshake = false;
    socket.on("secureConnect", () => {
      handshake = true;
    });
    socket.once("data", (d) => {
      resolve(d.toString("latin1").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.on("error", () =>
      resolve(handshake ? "closed after the handshake" : "closed before any handshake"),
    );
    socket.on("close", () =>
      resolve(handshake ? "closed after the handshake" : "closed before any handshake"),
    );
  });
}

function plainGreeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("data", (d) => {
      resolve(d.toString("latin1").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.on("error", () => resolve("error"));
    socket.on("close", () => resolve("closed"));
  });
}

describe("on the listeners", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ AGENTBOX_CONNECTION_RATE_PER_S: "2", AGENTBOX_CONNECTION_BURST: "4" });
  });
  afterAll(() => t.stop());

  test("IMAPS, SMTPS and the MX share one budget; over it: held 2 s, then closed (SMTPS before TLS) or 421 4.7.0; refilled later", async () => {
    const { imaps, smtps, mx } = t.server.ports;
    expect(await tlsGreeting(imaps)).toStartWith("* OK");
    expect(await tlsGreeting(smtps)).toStartWith("220 ");
    expect(await plainGreeting(mx)).toStartWith("220 ");
    expect(await tlsGreeting(imaps)).toStartWith("* OK");
    // The budget (4 at once) is spent: every listener refuses, each after the refusal delay.
    // Bun's TLS listener (IMAPS) tells its socket only once the handshake is done: closed then.
    const started = performance.now();
    const [imap, smtp, plain] = await Promise.all([
      tlsGreeting(imaps),
      tlsGreeting(smtps),
      plainGreeting(mx),
    ]);
    expect(performance.now() - started).toBeGreaterThan(1900);
    expect(imap).toStartWith("closed");
    expect(smtp).toBe("closed before any handshake");
    expect(plain).toMatch(/^421 4\.7\.0 .*too many new connections/);
    // Two a second: refilled meanwhile.
    expect(await plainGreeting(mx)).toStartWith("220 ");
  }, 15_000);
});
