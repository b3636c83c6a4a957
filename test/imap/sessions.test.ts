/** Several sessions on one account: each sees exactly what the others did, at its next command. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("three sessions on one mailbox", () => {
  test("STORE, EXPUNGE and APPEND by one are told to the others with the right sequence numbers", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 4; i++) await deliver(f, grantId, message({ subject: `m${i}` }));
    const a = await f.client(email);
    const b = await f.client(email);
    const c = await f.client(email);
    await a.ok("a0 SELECT INBOX");
    await b.ok("b0 SELECT INBOX");
    await c.ok("c0 EXAMINE INBOX");

    expect(await a.ok("a1 STORE 2 +FLAGS (\\Seen)")).toEqual(["* 2 FETCH (FLAGS (\\Seen \\Recent))"]);
    expect(await b.ok("b1 NOOP")).toEqual(["* 2 FETCH (UID 2 FLAGS (\\Seen))"]);

    await a.ok("a2 STORE 1,3 +FLAGS.SILENT (\\Deleted)");
    expect(await a.transact("a3 EXPUNGE")).toEqual({
      untagged: ["* 1 EXPUNGE", "* 2 EXPUNGE"],
      tagged: "a3 OK EXPUNGE completed",
    });
    // b is told the flag changes and the expunges, in order, at its next command.
    expect(await b.ok("b2 NOOP")).toEqual([
      "* 1 FETCH (UID 1 FLAGS (\\Deleted))",
      "* 3 FETCH (UID 3 FLAGS (\\Deleted))",
      "* 1 EXPUNGE",
      "* 2 EXPUNGE",
    ]);

    // During FETCH (sequence numbers), c is not told expunges: its numbers stay put.
    // (Messages 1 and 3 are gone from the store: FETCH has nothing to say about them.)
    expect(await c.ok("c1 FETCH 1:4 (UID)")).toEqual([
      "* 2 FETCH (UID 2)",
      "* 4 FETCH (UID 4)",
      "* 2 FETCH (UID 2 FLAGS (\\Seen))",
      "* 1 FETCH (UID 1 FLAGS (\\Deleted))",
      "* 3 FETCH (UID 3 FLAGS (\\Deleted))",
    ]);
    expect(await c.ok("c2 NOOP")).toEqual(["* 1 EXPUNGE", "* 2 EXPUNGE"]);

    // New mail: everyone gets EXISTS (RECENT counts only in the session that claims it).
    await deliver(f, grantId, message({ subject: "new" }));
    const fromA = await a.ok("a4 NOOP");
    const fromB = await b.ok("b3 NOOP");
    expect(fromA[0]).toBe("* 3 EXISTS");
    expect(fromB[0]).toBe("* 3 EXISTS");
    // a claimed the first four at SELECT (two are left) and, told first, claims the new one.
    expect([fromA[1], fromB[1]]).toEqual(["* 3 RECENT", "* 0 RECENT"]);
    expect(await c.ok("c3 NOOP")).toEqual(["* 3 EXISTS", "* 0 RECENT"]);
    expect(await c.ok("c4 FETCH 3 (UID)")).toEqual(["* 3 FETCH (UID 5)"]);
  });

  test("UID commands may be told expunges at once; SEARCH with numbers may not", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 3; i++) await deliver(f, grantId, message());
    const a = await f.client(email);
    const b = await f.client(email);
    await a.ok("a0 SELECT INBOX");
    await b.ok("b0 SELECT INBOX");
    await a.ok("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
    await a.ok("a2 EXPUNGE");
    expect(await b.ok("b1 SEARCH ALL")).toEqual(["* SEARCH 2 3", "* 1 FETCH (UID 1 FLAGS (\\Deleted))"]);
    expect(await b.ok("b2 UID SEARCH ALL")).toEqual(["* SEARCH 2 3", "* 1 EXPUNGE"]);
  });

  test("a session in another mailbox hears nothing of this one", async () => {
    const { email, grantId } = await f.account();
    const a = await f.client(email);
    const b = await f.client(email);
    await a.ok("a0 SELECT INBOX");
    await b.ok("b0 SELECT Archive");
    await deliver(f, grantId, message());
    expect(await b.ok("b1 NOOP")).toEqual([]);
    expect(await a.ok("a1 NOOP")).toEqual(["* 1 EXISTS", "* 1 RECENT"]);
  });

  test("another account's changes are never seen", async () => {
    const one = await f.account();
    const two = await f.account();
    const a = await f.client(one.email);
    await a.ok("a0 SELECT INBOX");
    await deliver(f, two.grantId, message());
    expect(await a.ok("a1 NOOP")).toEqual([]);
    expect((await a.transact("a2 SELECT INBOX")).untagged).toContain("* 0 EXISTS");
  });
});
