import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RecentTracker } from "../../protocols/imap/recent.ts";
import { type ImapFixture, imapAppend, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("\\Recent (RFC 3501 §2.3.2): exactly one session sees a new message as recent", () => {
  test("EXAMINE and STATUS show recent messages without taking them; the first SELECT takes them", async () => {
    const { email } = await f.account();
    const writer = await f.client(email);
    await writer.ok("w0 CREATE Box");
    await imapAppend(writer, "w1", "Box", message());
    await imapAppend(writer, "w2", "Box", message());
    const a = await f.client(email);
    const b = await f.client(email);
    expect(await a.ok("a1 EXAMINE Box")).toContain("* 2 RECENT");
    expect(await a.ok("a2 FETCH 1:* FLAGS")).toEqual([
      "* 1 FETCH (FLAGS (\\Recent))",
      "* 2 FETCH (FLAGS (\\Recent))",
    ]);
    expect(await b.ok("b1 STATUS Box (RECENT)")).toEqual(['* STATUS "Box" (RECENT 2)']);
    expect(await b.ok("b2 SELECT Box")).toContain("* 2 RECENT");
    expect(await b.ok("b3 SEARCH RECENT")).toEqual(["* SEARCH 1 2"]);
    expect(await b.ok("b4 SEARCH NEW")).toEqual(["* SEARCH 1 2"]);
    expect(await a.ok("a3 SELECT Box")).toContain("* 0 RECENT");
    expect(await a.ok("a4 SEARCH OLD")).toEqual(["* SEARCH 1 2"]);
    expect(await writer.ok("w3 STATUS Box (RECENT)")).toEqual(['* STATUS "Box" (RECENT 0)']);
  });

  test("a message arriving while two sessions have the mailbox selected is recent in one of them", async () => {
    const { email } = await f.account();
    const a = await f.client(email);
    const b = await f.client(email);
    await a.ok("a0 SELECT INBOX");
    await b.ok("b0 SELECT INBOX");
    const writer = await f.client(email);
    await imapAppend(writer, "w1", "INBOX", message());
    expect(await a.ok("a1 NOOP")).toEqual(["* 1 EXISTS", "* 1 RECENT"]);
    expect(await b.ok("b1 NOOP")).toEqual(["* 1 EXISTS", "* 0 RECENT"]);
    expect(await a.ok("a2 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS (\\Recent))"]);
    expect(await b.ok("b2 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS ())"]);
  });

  test("a folder first seen by the process: what was stored before it started is not recent", () => {
    const tracker = new RecentTracker(() => 5);
    expect([...tracker.peek("g", "f", [3, 5, 6, 7])]).toEqual([7, 6]);
    expect([...tracker.claimAll("g", "f", [3, 5, 6, 7], 8)]).toEqual([7, 6]);
    expect(tracker.claim("g", "f", 7)).toBe(false);
    expect(tracker.claim("g", "f", 8)).toBe(true);
    expect(tracker.floor("g", "other")).toBe(5);
  });
});
