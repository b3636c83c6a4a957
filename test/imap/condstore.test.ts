import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("CONDSTORE (RFC 7162)", () => {
  test("FETCH MODSEQ and CHANGEDSINCE; the first use says HIGHESTMODSEQ", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message()); // modseq 2
    const b = await deliver(f, grantId, message()); // modseq 3
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    expect(await c.ok("a1 FETCH 1:* (MODSEQ)")).toEqual([
      "* OK [HIGHESTMODSEQ 3] CONDSTORE enabled",
      "* 1 FETCH (MODSEQ (2))",
      "* 2 FETCH (MODSEQ (3))",
    ]);
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${b.id}`, { unread: false }); // modseq 4
    expect(await c.ok("a2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 3)")).toEqual([
      "* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (4))",
    ]);
  });

  test("STORE UNCHANGEDSINCE: a message changed meanwhile is left alone and reported MODIFIED", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message()); // 2
    const b = await deliver(f, grantId, message()); // 3
    const c = await f.client(email);
    await c.ok("a SELECT INBOX (CONDSTORE)");
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${b.id}`, { starred: true }); // 4
    const r = await c.transact("a1 STORE 1:2 (UNCHANGEDSINCE 3) +FLAGS (\\Seen)");
    expect(r).toEqual({
      untagged: [
        "* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))",
        "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (4))",
      ],
      tagged: "a1 OK [MODIFIED 2] Some messages were modified meanwhile and left alone",
    });
    expect(await c.transact("a2 UID STORE 1:2 (UNCHANGEDSINCE 4) -FLAGS.SILENT (\\Seen)")).toEqual({
      untagged: [],
      tagged: "a2 OK [MODIFIED 1] Some messages were modified meanwhile and left alone",
    });
    expect(await c.transact("a3 UID STORE 1:2 (UNCHANGEDSINCE 5) -FLAGS.SILENT (\\Seen)")).toEqual({
      untagged: ["* 1 FETCH (UID 1 MODSEQ (6))"],
      tagged: "a3 OK UID STORE completed",
    });
  });

  test("SEARCH MODSEQ, ESEARCH with MODSEQ, STATUS HIGHESTMODSEQ", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a ENABLE CONDSTORE");
    await c.ok("b SELECT INBOX");
    await c.ok("c STORE 1 +FLAGS (\\Flagged)");
    expect(await c.ok("d SEARCH MODSEQ 4")).toEqual(["* SEARCH 1 (MODSEQ 4)"]);
    expect(await c.ok('e SEARCH MODSEQ "/flags/\\\\flagged" all 3')).toEqual(["* SEARCH 1 2 (MODSEQ 4)"]);
    expect(await c.ok("f SEARCH RETURN (COUNT) MODSEQ 1")).toEqual(['* ESEARCH (TAG "f") COUNT 2 MODSEQ 4']);
    expect(await c.ok("g STATUS INBOX (HIGHESTMODSEQ)")).toEqual(['* STATUS "INBOX" (HIGHESTMODSEQ 4)']);
  });

  test("ESEARCH MIN / MAX with MODSEQ: the MODSEQ of the message returned, not of every match", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 3; i++) await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a ENABLE CONDSTORE");
    await c.ok("b SELECT INBOX");
    expect(await c.ok("c1 STORE 1 +FLAGS (\\Seen)")).toEqual([
      "* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))",
    ]);
    expect(await c.ok("c2 STORE 3 +FLAGS (\\Seen)")).toEqual([
      "* 3 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))",
    ]);
    expect(await c.ok("c3 STORE 2 +FLAGS (\\Seen)")).toEqual([
      "* 2 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (7))",
    ]);
    expect(await c.ok("d SEARCH RETURN (MIN) MODSEQ 1")).toEqual(['* ESEARCH (TAG "d") MIN 1 MODSEQ 5']);
    expect(await c.ok("e SEARCH RETURN (MAX) MODSEQ 1")).toEqual(['* ESEARCH (TAG "e") MAX 3 MODSEQ 6']);
    expect(await c.ok("f SEARCH RETURN (MIN MAX) 1,3 MODSEQ 1")).toEqual([
      '* ESEARCH (TAG "f") MIN 1 MAX 3 MODSEQ 6',
    ]);
    expect(await c.ok("g SEARCH RETURN (MIN ALL) MODSEQ 1")).toEqual([
      '* ESEARCH (TAG "g") MIN 1 ALL 1:3 MODSEQ 7',
    ]);
    expect(await c.ok("h SEARCH RETURN (MIN) MODSEQ 8")).toEqual(['* ESEARCH (TAG "h")']);
  });

  test("unsolicited flag changes carry MODSEQ once CONDSTORE is on", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a ENABLE CONDSTORE");
    expect(await c.ok("a1 SELECT INBOX")).toContain("* OK [HIGHESTMODSEQ 2] Highest");
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { starred: true });
    expect(await c.ok("a2 NOOP")).toEqual(["* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent) MODSEQ (3))"]);
  });
});
