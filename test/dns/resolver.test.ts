import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { type DNSResolver, spf } from "mailauth";
import { createResolver, type DnsResolver, mailauthResolver } from "../../src/dns/resolver.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";

let dns: TestDnsServer;
let resolver: DnsResolver;
let viaMailauth: DNSResolver;

beforeAll(async () => {
  dns = await startTestDnsServer();
  resolver = createResolver(dns.address);
  viaMailauth = mailauthResolver(dns.address);
});
afterAll(() => dns.close());
beforeEach(() => dns.clear());

const LONG_TXT = `v=DKIM1; k=rsa; p=${"A".repeat(600)}`;

describe("createResolver against a DNS server on a non-standard port", () => {
  test("TXT: one string per record, character-strings joined", async () => {
    dns.set("example.test", "TXT", ["v=spf1 -all", ["first half, ", "second half"], LONG_TXT]);
    expect(await resolver.txt("example.test")).toEqual(["v=spf1 -all", "first half, second half", LONG_TXT]);
  });

  test("MX: sorted by priority", async () => {
    dns.set("example.test", "MX", [
      { exchange: "backup.example.test", priority: 20 },
      { exchange: "mail.example.test", priority: 10 },
    ]);
    expect(await resolver.mx("example.test")).toEqual([
      { exchange: "mail.example.test", priority: 10 },
      { exchange: "backup.example.test", priority: 20 },
    ]);
  });

  test("A and AAAA, IPv6 in compressed form", async () => {
    dns.set("host.example.test", "A", ["192.0.2.1", "192.0.2.2"]);
    dns.set("host.example.test", "AAAA", ["2001:db8:0:0:1:0:0:1", "fe80::"]);
    expect(await resolver.a("host.example.test")).toEqual(["192.0.2.1", "192.0.2.2"]);
    expect(await resolver.aaaa("host.example.test")).toEqual(["2001:db8::1:0:0:1", "fe80::"]);
  });

  test("names are case-insensitive and may end in a dot", async () => {
    dns.set("example.test", "A", ["192.0.2.7"]);
    expect(await resolver.a("EXAMPLE.test.")).toEqual(["192.0.2.7"]);
  });

  test("NXDOMAIN and NODATA are empty lists", async () => {
    dns.set("example.test", "A", ["192.0.2.1"]);
    expect(await resolver.txt("missing.example.test")).toEqual([]);
    expect(await resolver.mx("missing.example.test")).toEqual([]);
    expect(await resolver.a("missing.example.test")).toEqual([]);
    expect(await resolver.aaaa("example.test")).toEqual([]);
    expect(await resolver.txt("example.test")).toEqual([]);
  });
});

describe("mailauthResolver answers like node:dns resolve()", () => {
  test("TXT keeps each record's character-strings; long values arrive split at 255 bytes", async () => {
    dns.set("example.test", "TXT", ["v=spf1 -all", LONG_TXT]);
    const [short, long] = (await viaMailauth("example.test", "TXT")) as string[][];
    expect(short).toEqual(["v=spf1 -all"]);
    expect(long?.length).toBe(3);
    expect(long?.every((part) => part.length <= 255)).toBe(true);
    expect(long?.join("")).toBe(LONG_TXT);
  });

  test("MX, A and AAAA", async () => {
    dns.set("example.test", "MX", [{ exchange: "mail.example.test", priority: 10 }]);
    dns.set("example.test", "A", ["192.0.2.1"]);
    dns.set("example.test", "AAAA", ["2001:db8::25"]);
    // mailauth's DNSResolver type leaves MX answers out; they are objects like node:dns gives.
    expect((await viaMailauth("example.test", "MX")) as unknown).toEqual([
      { exchange: "mail.example.test", priority: 10 },
    ]);
    expect(await viaMailauth("example.test", "A")).toEqual(["192.0.2.1"]);
    expect(await viaMailauth("example.test", "AAAA")).toEqual(["2001:db8::25"]);
  });

  test("NXDOMAIN rejects with ENOTFOUND, NODATA with ENODATA", async () => {
    dns.set("example.test", "A", ["192.0.2.1"]);
    await expect(viaMailauth("missing.example.test", "TXT")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(viaMailauth("example.test", "TXT")).rejects.toMatchObject({ code: "ENODATA" });
  });

  test("wraps any DnsResolver, reporting empty answers as ENODATA", async () => {
    dns.set("example.test", "TXT", [["v=spf1 ", "-all"]]);
    const wrapped = mailauthResolver(createResolver(dns.address));
    expect(await wrapped("example.test", "TXT")).toEqual([["v=spf1 ", "-all"]]);
    const foreign: DnsResolver = {
      txt: async () => ["x"],
      mx: async () => [],
      a: async () => [],
      aaaa: async () => [],
    };
    expect(await mailauthResolver(foreign)("example.test", "TXT")).toEqual([["x"]]);
    await expect(mailauthResolver(foreign)("example.test", "MX")).rejects.toMatchObject({ code: "ENODATA" });
  });

  test("mailauth's SPF check reads the records through it", async () => {
    dns.set("example.test", "TXT", ["v=spf1 ip4:192.0.2.10 -all"]);
    const check = (ip: string) =>
      spf({
        sender: "a@example.test",
        ip,
        helo: "client.test",
        mta: "mx.test",
        resolver: viaMailauth,
      });
    expect((await check("192.0.2.10")).status.result).toBe("pass");
    expect((await check("192.0.2.99")).status.result).toBe("fail");
  });
});

describe("an unreachable DNS server", () => {
  test("a closed port fails at once with an error naming the server", async () => {
    const address = `127.0.0.1:${await closedUdpPort()}`;
    const started = Date.now();
    await expect(createResolver(address).txt("example.test")).rejects.toThrow(address);
    await expect(mailauthResolver(address)("example.test", "TXT")).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a server that never answers times out after one retry, naming the server", async () => {
    const silent = await bindSilentServer();
    const address = `127.0.0.1:${silent.port}`;
    const started = Date.now();
    const [viaResolver, viaMailauthFn] = await Promise.allSettled([
      createResolver(address).a("example.test"),
      mailauthResolver(address)("example.test", "A"),
    ]);
    const elapsed = Date.now() - started;
    silent.socket.close();
    expect(viaResolver).toMatchObject({ status: "rejected", reason: { code: "ETIMEOUT" } });
    expect(String((viaResolver as PromiseRejectedResult).reason.message)).toContain(address);
    expect(viaMailauthFn).toMatchObject({ status: "rejected", reason: { code: "ETIMEOUT" } });
    expect(silent.queries()).toBe(4); // two look-ups, two attempts each
    expect(elapsed).toBeGreaterThanOrEqual(3900);
    expect(elapsed).toBeLessThan(6000);
  });
});

async function closedUdpPort(): Promise<number> {
  const { socket, port } = await bindSilentServer();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function bindSilentServer(): Promise<{ socket: Socket; port: number; queries: () => number }> {
  const socket = createSocket("udp4");
  let count = 0;
  socket.on("message", () => count++);
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return { socket, port: socket.address().port, queries: () => count };
}
