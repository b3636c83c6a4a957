/** The small commands: CAPABILITY, NOOP, CHECK, ID, NAMESPACE, ENABLE, and unknown ones. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("small commands", () => {
  test("NOOP, CHECK (needs a login), ID, NAMESPACE", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect(await c.transact("a1 NOOP")).toEqual({ untagged: [], tagged: "a1 OK NOOP completed" });
    expect(await c.transact("a2 CHECK")).toEqual({ untagged: [], tagged: "a2 OK CHECK completed" });
    expect(await c.transact('a3 ID ("name" "test" "version" "1")')).toEqual({
      untagged: ['* ID ("name" "agentbox" "version" "0.1.0" "vendor" "agentbox")'],
      tagged: "a3 OK ID completed",
    });
    expect((await c.transact("a4 ID NIL")).tagged).toBe("a4 OK ID completed");
    expect((await c.transact('a5 ID ("odd")')).tagged).toBe("a5 BAD ID: ID needs field/value pairs");
    expect(await c.transact("a6 NAMESPACE")).toEqual({
      untagged: ['* NAMESPACE (("" "/")) NIL NIL'],
      tagged: "a6 OK NAMESPACE completed",
    });
  });

  test("ENABLE needs a login and a name; unknown names are ignored", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 ENABLE")).tagged).toBe("a1 BAD ENABLE: missing capability");
    expect(await c.transact("a2 ENABLE UTF8=ACCEPT")).toEqual({
      untagged: ["* ENABLED"],
      tagged: "a2 OK ENABLE completed",
    });
    expect(await c.transact("a3 ENABLE CONDSTORE")).toEqual({
      untagged: ["* ENABLED CONDSTORE"],
      tagged: "a3 OK ENABLE completed",
    });
  });

  test("unknown and garbled commands are BAD; the session goes on", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 XYZZY")).tagged).toBe("a1 BAD Unknown command XYZZY");
    expect((await c.transact("a2 UID NOOP")).tagged).toBe("a2 BAD Unknown command UID NOOP");
    expect((await c.transact("a3 UID")).tagged).toBe("a3 BAD UID needs a command");
    c.write("* NOOP\r\n");
    expect(await c.line()).toBe("* BAD invalid tag");
    c.write("\r\n");
    expect(await c.line()).toBe("* BAD empty command line");
    c.write("a4 NOOP (\r\n");
    expect(await c.line()).toBe("a4 BAD unterminated list");
    expect((await c.transact("a5 NOOP")).tagged).toBe("a5 OK NOOP completed");
  });

  test("/metrics counts the open IMAP connections", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const text = await (await fetch(`${f.t.url}/metrics`)).text();
    const open = Number(/^agentbox_imap_sessions (\d+)$/m.exec(text)?.[1]);
    expect(open).toBeGreaterThanOrEqual(1);
    c.close();
  });
});
