import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

async function setup(n = 3) {
  const account = await f.account();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await deliver(f, account.grantId, message({ subject: `m${i}` }))).id);
  const c = await f.client(account.email);
  await c.ok("s SELECT INBOX");
  return { ...account, c, ids };
}

describe("STORE", () => {
  test("errors: bad operation, unknown system flag, bad sets, bad modifier", async () => {
    const { c } = await setup(1);
    expect((await c.transact("e1 STORE 1 FLAGZ (\\Seen)")).tagged).toBe(
      "e1 BAD STORE: the operation must be FLAGS, +FLAGS or -FLAGS (optionally .SILENT)",
    );
    expect((await c.transact("e2 STORE 1 +FLAGS (\\Bogus)")).tagged).toBe(
      "e2 BAD STORE: unknown system flag \\Bogus",
    );
    expect((await c.transact("e3 STORE 2 +FLAGS (\\Seen)")).tagged).toBe(
      "e3 BAD Invalid message sequence number",
    );
    expect((await c.transact("e4 STORE 1 (FOO 1) +FLAGS (\\Seen)")).tagged).toBe(
      "e4 BAD STORE: the only STORE modifier is (UNCHANGEDSINCE mod-sequence)",
    );
    expect((await c.transact('e5 STORE 1 +FLAGS (a"b)')).tagged).toStartWith("e5 BAD");
  });

  test("+FLAGS, -FLAGS, FLAGS; keywords kept as given; \\Recent cannot be set", async () => {
    const { c } = await setup(2);
    // A keyword new to the mailbox is announced in FLAGS and PERMANENTFLAGS first, once.
    expect(await c.ok("a1 STORE 1:2 +FLAGS (\\Seen \\Flagged $Work)")).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Work)",
      "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Work \\*)] Flags permitted",
      "* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent $Work))",
      "* 2 FETCH (FLAGS (\\Seen \\Flagged \\Recent $Work))",
    ]);
    expect(await c.ok("a2 STORE 2 -FLAGS (\\Flagged $work)")).toEqual([
      "* 2 FETCH (FLAGS (\\Seen \\Recent))",
    ]);
    expect(await c.ok("a3 UID STORE 1 FLAGS (\\Answered \\Draft \\Recent Later)")).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Work Later)",
      "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Work Later \\*)] Flags permitted",
      "* 1 FETCH (FLAGS (\\Answered \\Draft \\Recent Later) UID 1)",
    ]);
    expect(await c.ok("a4 STORE 1 +FLAGS \\Deleted \\Seen")).toEqual([
      "* 1 FETCH (FLAGS (\\Seen \\Answered \\Deleted \\Draft \\Recent Later))",
    ]);
    // Unchanged messages are still reported; .SILENT reports nothing.
    expect(await c.ok("a5 STORE 2 +FLAGS (\\Seen)")).toEqual(["* 2 FETCH (FLAGS (\\Seen \\Recent))"]);
    expect(await c.ok("a6 STORE 1:* -FLAGS.SILENT (\\Seen)")).toEqual([]);
    // Own changes are not told again at the next command.
    expect(await c.ok("a7 NOOP")).toEqual([]);
  });

  test("the flags map to the API: \\Seen ⇄ unread, \\Flagged ⇄ starred, keywords kept", async () => {
    const { c, ids, grantId } = await setup(1);
    await c.ok("a1 STORE 1 +FLAGS (\\Flagged Custom)");
    const res = await api(f.t, "GET", `/v3/grants/${grantId}/messages/${ids[0]}`);
    expect(res.body.data.unread).toBe(true);
    expect(res.body.data.starred).toBe(true);
    await c.ok("a2 STORE 1 +FLAGS (\\Seen)");
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${ids[0]}`)).body.data.unread).toBe(false);
    expect(await c.ok("a3 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent Custom))"]);
  });

  test("an empty UID set is a no-op", async () => {
    const { c } = await setup(1);
    expect(await c.transact("a1 UID STORE 99 +FLAGS (\\Seen)")).toEqual({
      untagged: [],
      tagged: "a1 OK UID STORE completed",
    });
  });

  test("a keyword another session sets is announced in FLAGS before the FETCH that carries it", async () => {
    const { c, email } = await setup(1);
    const other = await f.client(email);
    const examined = await other.ok("b0 EXAMINE INBOX");
    expect(examined.slice(0, 2)).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)",
      "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
    ]);
    await c.ok("a1 STORE 1 +FLAGS.SILENT ($Later)");
    expect(await other.ok("b1 NOOP")).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Later)",
      "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
      "* 1 FETCH (UID 1 FLAGS ($Later))",
    ]);
    await c.ok("a2 STORE 1 -FLAGS.SILENT ($Later)");
    expect(await other.ok("b2 NOOP")).toEqual(["* 1 FETCH (UID 1 FLAGS ())"]);
    const third = await f.client(email);
    expect((await third.ok("c0 SELECT INBOX"))[0]).toBe(
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)",
    );
  });
});
