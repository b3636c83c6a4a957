import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapClient, type ImapFixture, imapAppend, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

/** An account with `n` unseen messages in INBOX, arrived a day apart, and two sessions on it. */
async function mailbox(n = 3): Promise<{ a: ImapClient; b: ImapClient }> {
  const { email, grantId } = await f.account();
  for (let i = 1; i <= n; i++) {
    await f.t.server.mailboxes.ask(grantId, "append", {
      folderId: "inbox",
      raw: Buffer.from(message({ subject: `m${i}` })),
      internalDate: Date.UTC(2024, 0, i) / 1000,
    });
  }
  // A first session takes \Recent (RFC 3501: one session sees a message as recent), so a and b
  // report flags without it.
  const first = await f.client(email);
  await first.ok("s SELECT INBOX");
  await first.ok("l LOGOUT").catch(() => undefined);
  const a = await f.client(email);
  const b = await f.client(email);
  await a.ok("s SELECT INBOX");
  await b.ok("s SELECT INBOX");
  return { a, b };
}

describe("CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267)", () => {
  test("errors: state, CANCELUPDATE tags, UPDATE twice, a tag already live, PARTIAL ranges", async () => {
    const { a } = await mailbox();
    const { email } = await f.account();
    const fresh = await f.client(email);
    expect((await fresh.transact('e0 CANCELUPDATE "x"')).tagged).toBe(
      "e0 BAD CANCELUPDATE is not valid in this state: select a mailbox first",
    );
    expect((await a.transact("e1 CANCELUPDATE")).tagged).toBe(
      "e1 BAD CANCELUPDATE: CANCELUPDATE needs the tag of a live search",
    );
    expect((await a.transact('e2 CANCELUPDATE "nope"')).tagged).toBe(
      "e2 BAD CANCELUPDATE: no live search has the tag nope",
    );
    expect((await a.transact("e3 SEARCH RETURN (UPDATE UPDATE) ALL")).tagged).toBe(
      "e3 BAD SEARCH: UPDATE can be used only once",
    );
    expect(await a.ok("live SEARCH RETURN (UPDATE) ALL")).toEqual(['* ESEARCH (TAG "live")']);
    expect((await a.transact("live SEARCH RETURN (UPDATE) UNSEEN")).tagged).toBe(
      "live BAD SEARCH: a live search already has the tag live",
    );
    for (const [range, error] of [
      ["1", "PARTIAL needs a range lo:hi of positions"],
      ["0:3", "PARTIAL needs a range lo:hi of positions"],
      ["*:1", "PARTIAL needs a range lo:hi of positions"],
    ]) {
      expect((await a.transact(`e4 SEARCH RETURN (PARTIAL ${range}) ALL`)).tagged).toBe(
        `e4 BAD SEARCH: ${error}`,
      );
    }
    expect((await a.transact("e5 SEARCH RETURN (PARTIAL 1:2 PARTIAL 3:4) ALL")).tagged).toBe(
      "e5 BAD SEARCH: PARTIAL can be used only once",
    );
    // Errors leave no live search behind, and a cancelled one is gone.
    expect((await a.transact('e6 CANCELUPDATE "e3" "live"')).tagged).toBe(
      "e6 BAD CANCELUPDATE: no live search has the tag e3",
    );
    expect(await a.ok('e7 CANCELUPDATE "live"')).toEqual([]);
    expect((await a.transact('e8 CANCELUPDATE "live"')).tagged).toBe(
      "e8 BAD CANCELUPDATE: no live search has the tag live",
    );
  });

  test("SEARCH RETURN (PARTIAL): positions in the result", async () => {
    const { a } = await mailbox(5);
    await a.ok("x STORE 3 +FLAGS.SILENT (\\Seen)");
    expect(await a.ok("p1 SEARCH RETURN (PARTIAL 2:3) UNSEEN")).toEqual([
      '* ESEARCH (TAG "p1") PARTIAL (2:3 2,4)',
    ]);
    expect(await a.ok("p2 UID SEARCH RETURN (PARTIAL 4:9 COUNT) UNSEEN")).toEqual([
      '* ESEARCH (TAG "p2") UID PARTIAL (4:9 5) COUNT 4',
    ]);
    expect(await a.ok("p3 SEARCH RETURN (PARTIAL 5:6) UNSEEN")).toEqual([
      '* ESEARCH (TAG "p3") PARTIAL (5:6 NIL)',
    ]);
  });

  test("another session's flag changes: ADDTO / REMOVEFROM after the FETCH, at the next command", async () => {
    const { a, b } = await mailbox();
    expect(await a.ok("u SEARCH RETURN (UPDATE ALL) UNSEEN")).toEqual(['* ESEARCH (TAG "u") ALL 1:3']);
    expect(await b.ok("b1 STORE 1,3 +FLAGS.SILENT (\\Seen)")).toEqual([]);
    expect(await a.ok("n1 NOOP")).toEqual([
      "* 1 FETCH (UID 1 FLAGS (\\Seen))",
      "* 3 FETCH (UID 3 FLAGS (\\Seen))",
      '* ESEARCH (TAG "u") REMOVEFROM (0 1,3)',
    ]);
    await b.ok("b2 STORE 1 -FLAGS.SILENT (\\Seen)");
    expect(await a.ok("n2 NOOP")).toEqual(["* 1 FETCH (UID 1 FLAGS ())", '* ESEARCH (TAG "u") ADDTO (0 1)']);
    // A change that does not move the result tells only the flags.
    await b.ok("b3 STORE 2 +FLAGS.SILENT (\\Flagged)");
    expect(await a.ok("n3 NOOP")).toEqual(["* 2 FETCH (UID 2 FLAGS (\\Flagged))"]);
    // The session that made the changes has no live search: it hears of none.
    expect(await b.ok("b4 NOOP")).toEqual([]);
    await a.ok('c CANCELUPDATE "u"');
    await b.ok("b5 STORE 2 +FLAGS.SILENT (\\Seen)");
    expect(await a.ok("n4 NOOP")).toEqual(["* 2 FETCH (UID 2 FLAGS (\\Seen \\Flagged))"]);
  });

  test("expunges leave the result first, numbered as before the EXPUNGE; UID results name UIDs", async () => {
    const { a, b } = await mailbox(4);
    expect(await a.ok("s SEARCH RETURN (UPDATE) UNSEEN")).toEqual(['* ESEARCH (TAG "s")']);
    expect(await a.ok("u UID SEARCH RETURN (UPDATE COUNT) 2:4")).toEqual(['* ESEARCH (TAG "u") UID COUNT 3']);
    await b.ok("b1 STORE 2,3 +FLAGS.SILENT (\\Deleted)");
    await b.ok("b2 EXPUNGE");
    expect(await a.ok("n NOOP")).toEqual([
      '* ESEARCH (TAG "s") REMOVEFROM (0 2:3)',
      '* ESEARCH (TAG "u") UID REMOVEFROM (0 2:3)',
      "* 2 FETCH (UID 2 FLAGS (\\Deleted))",
      "* 3 FETCH (UID 3 FLAGS (\\Deleted))",
      "* 2 EXPUNGE",
      "* 2 EXPUNGE",
    ]);
    expect(await a.ok("f FETCH 1:* (UID)")).toEqual(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)"]);
  });

  test("during IDLE: a new matching message is told with its EXISTS", async () => {
    const { a, b } = await mailbox(2);
    await a.ok("u SEARCH RETURN (UPDATE) SUBJECT fresh");
    a.write("i IDLE\r\n");
    expect(await a.line()).toMatch(/^\+ /);
    expect(await imapAppend(b, "b1", "INBOX", message({ subject: "fresh news" }))).toMatch(/^b1 OK/);
    expect(await a.line()).toBe("* 3 EXISTS");
    expect(await a.line()).toMatch(/^\* \d RECENT$/);
    expect(await a.line()).toBe('* ESEARCH (TAG "u") ADDTO (0 3)');
    await imapAppend(b, "b2", "INBOX", message({ subject: "stale news" }));
    expect(await a.line()).toBe("* 4 EXISTS");
    expect(await a.line()).toMatch(/^\* \d RECENT$/);
    a.write("DONE\r\n");
    expect(await a.line()).toBe("i OK IDLE terminated");
  });

  test("during IDLE a burst of changes is evaluated once, after it", async () => {
    const { a, b } = await mailbox(3);
    await a.ok("u SEARCH RETURN (UPDATE) SEEN");
    a.write("i IDLE\r\n");
    expect(await a.line()).toMatch(/^\+ /);
    await b.ok("b1 STORE 1:3 +FLAGS.SILENT (\\Seen)");
    const lines = [await a.line(), await a.line(), await a.line(), await a.line()];
    expect(lines).toEqual([
      "* 1 FETCH (UID 1 FLAGS (\\Seen))",
      "* 2 FETCH (UID 2 FLAGS (\\Seen))",
      "* 3 FETCH (UID 3 FLAGS (\\Seen))",
      '* ESEARCH (TAG "u") ADDTO (0 1:3)',
    ]);
    expect(await a.quiet(200)).toBe(true);
    a.write("DONE\r\n");
    expect(await a.line()).toBe("i OK IDLE terminated");
  });

  test("SORT RETURN (UPDATE): changes carry positions in the sorted result", async () => {
    const { a, b } = await mailbox(3);
    expect(await a.ok("r SORT RETURN (UPDATE ALL) (REVERSE ARRIVAL) UTF-8 UNSEEN")).toEqual([
      '* ESEARCH (TAG "r") ALL 3,2,1',
    ]);
    await b.ok("b1 STORE 2 +FLAGS.SILENT (\\Seen)");
    expect(await a.ok("n1 NOOP")).toEqual([
      "* 2 FETCH (UID 2 FLAGS (\\Seen))",
      '* ESEARCH (TAG "r") REMOVEFROM (2 2)',
    ]);
    // The newest arrival goes first in REVERSE ARRIVAL order; message 2 back in the middle.
    const raw = message({ subject: "newest" });
    b.write(`b2 APPEND INBOX " 1-Feb-2024 00:00:00 +0000" {${Buffer.byteLength(raw)}+}\r\n${raw}\r\n`);
    await b.until("b2");
    await b.ok("b3 STORE 2 -FLAGS.SILENT (\\Seen)");
    const r = await a.ok("n2 NOOP");
    expect(r.filter((l) => !/RECENT$/.test(l))).toEqual([
      "* 4 EXISTS",
      "* 2 FETCH (UID 2 FLAGS ())",
      '* ESEARCH (TAG "r") ADDTO (1 4) ADDTO (3 2)',
    ]);
    expect(await a.ok("r2 SORT RETURN (ALL) (REVERSE ARRIVAL) UTF-8 UNSEEN")).toEqual([
      '* ESEARCH (TAG "r2") ALL 4,3,2,1',
    ]);
  });

  test("live results belong to the selected mailbox: a new SELECT ends them", async () => {
    const { a, b } = await mailbox(2);
    await a.ok("u SEARCH RETURN (UPDATE) SEEN");
    await a.ok("s2 SELECT INBOX");
    await b.ok("b1 STORE 1 +FLAGS.SILENT (\\Seen)");
    expect(await a.ok("n NOOP")).toEqual(["* 1 FETCH (UID 1 FLAGS (\\Seen))"]);
    expect((await a.transact('c CANCELUPDATE "u"')).tagged).toBe(
      "c BAD CANCELUPDATE: no live search has the tag u",
    );
  });

  test("past ten live searches a result is returned without updates (NOUPDATE)", async () => {
    const { a } = await mailbox(1);
    for (let i = 0; i < 10; i++) await a.ok(`u${i} SEARCH RETURN (UPDATE) SEEN`);
    expect(await a.ok("u10 SEARCH RETURN (UPDATE COUNT) ALL")).toEqual([
      '* NO [NOUPDATE "u10"] Too many live searches; this one is not updated',
      '* ESEARCH (TAG "u10") COUNT 1',
    ]);
  });

  test("a message stored through the API joins a live UID result", async () => {
    const { email, grantId } = await f.account();
    const a = await f.client(email);
    await a.ok("s SELECT INBOX");
    await a.ok("u UID SEARCH RETURN (UPDATE) ALL");
    const stored = await deliver(f, grantId, message({ subject: "api" }));
    expect(await a.ok("n NOOP")).toEqual([
      "* 1 EXISTS",
      "* 1 RECENT",
      `* ESEARCH (TAG "u") UID ADDTO (0 ${stored.uid})`,
    ]);
  });
});
