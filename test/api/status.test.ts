import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, createApplication } from "./helpers.ts";

/** GET /v3/admin/status: versions, the listeners really bound, and the caller's own counts. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

describe("GET /v3/admin/status", () => {
  test("versions: agentbox's, Bun's, SQLite's and the last migration applied", async () => {
    const res = await api(t, "GET", "/v3/admin/status");
    expect(res.status).toBe(200);
    const migrations = readdirSync(join(import.meta.dir, "../../src/store/migrations"))
      .filter((f) => f.endsWith(".sql"))
      .map((f) => Number.parseInt(f, 10));
    expect(res.body.data.versions).toEqual({
      agentbox: (await Bun.file(join(import.meta.dir, "../../package.json")).json()).version,
      bun: Bun.version,
      sqlite: expect.stringMatching(/^3\.\d+\.\d+$/),
      schema: Math.max(...migrations),
    });
  });

  test("listeners: each bound port, its protocol and TLS, as a client finds them", async () => {
    const { listeners } = (await api(t, "GET", "/v3/admin/status")).body.data;
    const p = t.server.ports;
    expect(listeners).toEqual([
      { name: "http", protocol: "http", address: "127.0.0.1", port: p.http, tls: "none" },
      { name: "imaps", protocol: "imap", address: "127.0.0.1", port: p.imaps, tls: "implicit" },
      ...(p.imap === null
        ? []
        : [{ name: "imap", protocol: "imap", address: "127.0.0.1", port: p.imap, tls: "starttls" }]),
      { name: "smtps", protocol: "smtp", address: "127.0.0.1", port: p.smtps, tls: "implicit" },
      { name: "submission", protocol: "smtp", address: "127.0.0.1", port: p.submission, tls: "starttls" },
      { name: "mx", protocol: "smtp", address: "127.0.0.1", port: p.mx, tls: "starttls" },
    ]);
    // The implicit-TLS ports really answer TLS from the first byte.
    for (const l of listeners.filter((x: { tls: string }) => x.tls === "implicit")) {
      const hello = await new Promise<string>((resolve, reject) => {
        const socket = Bun.connect({
          hostname: l.address,
          port: l.port,
          tls: { rejectUnauthorized: false },
          socket: {
            data(s, chunk) {
              resolve(chunk.toString());
              s.end();
            },
            error: (_s, err) => reject(err),
          },
        }).catch(reject);
        void socket;
      });
      expect(hello).toMatch(/^(\* OK|220 )/);
    }
  });

  test("counts are the caller's application's: another application sees its own", async () => {
    const before = (await api(t, "GET", "/v3/admin/status")).body.data.counts;
    await createAccount(t);
    const after = (await api(t, "GET", "/v3/admin/status")).body.data.counts;
    expect(after.accounts).toBe(before.accounts + 1);
    const other = await createApplication(t, "status other");
    const theirs = (await api(t, "GET", "/v3/admin/status", undefined, other.key)).body.data.counts;
    expect(theirs).toEqual({ accounts: 0, domains: 0, webhooks: 0, messages: 0, outbound_waiting: 0 });
  });
});
