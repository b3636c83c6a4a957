import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_IMAP_IDLE_TIMEOUT_S: "1" });
});
afterAll(() => f.stop());

describe("IDLE", () => {
  test("a bad continuation line is BAD", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    c.write("i1 IDLE\r\n");
    expect(await c.line()).toBe("+ idling");
    c.write("NOT DONE\r\n");
    expect((await c.until("i1")).tagged).toBe("i1 BAD Expected DONE to end IDLE");
  });

  test("new mail, flag changes, moves and deletes are pushed at once", async () => {
    const { email, grantId } = await f.account();
    const first = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a1 SELECT INBOX");
    c.write("i1 IDLE\r\n");
    expect(await c.line()).toBe("+ idling");
    const started = performance.now();
    const second = await deliver(f, grantId, message());
    expect(await c.line()).toBe("* 2 EXISTS");
    expect(await c.line()).toBe("* 2 RECENT");
    expect(performance.now() - started).toBeLessThan(500);
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${first.id}`, { starred: true });
    expect(await c.line()).toBe("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))");
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${second.id}`, { folders: ["archive"] });
    expect(await c.line()).toBe("* 2 EXPUNGE");
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${first.id}`);
    expect(await c.line()).toBe("* 1 EXPUNGE");
    c.write("DONE\r\n");
    expect(await c.until("i1")).toEqual({ untagged: [], tagged: "i1 OK IDLE terminated" });
  });

  test("IDLE ends after the server's limit; a late DONE is ignored; IDLE again works", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    c.write("i1 IDLE\r\n");
    expect(await c.line()).toBe("+ idling");
    expect(await c.line(3000)).toBe("i1 OK IDLE terminated after the server's time limit; issue IDLE again");
    c.write("DONE\r\n");
    expect(await c.transact("i2 NOOP")).toEqual({ untagged: [], tagged: "i2 OK NOOP completed" });
  });

  test("IDLE in the authenticated state (no mailbox) is allowed", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    c.write("i1 IDLE\r\n");
    expect(await c.line()).toBe("+ idling");
    c.write("DONE\r\n");
    expect((await c.until("i1")).tagged).toBe("i1 OK IDLE terminated");
  });
});
