import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("QRESYNC (RFC 7162)", () => {
  test("ENABLE QRESYNC enables CONDSTORE too", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect(await c.ok("a ENABLE QRESYNC")).toEqual(["* ENABLED QRESYNC CONDSTORE"]);
    expect(await c.ok("b ENABLE QRESYNC CONDSTORE X-FOO")).toEqual(["* ENABLED"]);
  });

  test("SELECT (QRESYNC ...) replays what changed: VANISHED (EARLIER) and FETCH since the known MODSEQ", async () => {
    const { email, grantId } = await f.account();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await deliver(f, grantId, message())).id); // modseq 2..5
    const v = imapFolder(f.t.server.store, grantId, "inbox")?.uidValidity;
    // The client was last in sync at modseq 5. Then, elsewhere:
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${ids[1]}`, { folders: ["archive"] }); // uid 2 leaves: 6
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${ids[2]}`, { unread: false }); // uid 3: 7
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${ids[3]}`); // uid 4 to trash: 8
    await deliver(f, grantId, message()); // uid 5: 9
    const c = await f.client(email);
    await c.ok("e ENABLE QRESYNC");
    const r = await c.transact(`a1 SELECT INBOX (QRESYNC (${v} 5))`);
    expect(r.untagged.slice(-3)).toEqual([
      "* VANISHED (EARLIER) 2,4",
      "* 2 FETCH (UID 3 FLAGS (\\Seen \\Recent) MODSEQ (7))",
      "* 3 FETCH (UID 5 FLAGS (\\Recent) MODSEQ (9))",
    ]);
    expect(r.untagged).toContain("* OK [HIGHESTMODSEQ 9] Highest");
    // A stale UIDVALIDITY gets no replay; known UIDs narrow it.
    expect((await c.ok("a2 SELECT INBOX (QRESYNC (1 5))")).some((l) => l.includes("VANISHED"))).toBe(false);
    expect((await c.ok(`a3 SELECT INBOX (QRESYNC (${v} 5 1:3))`)).slice(-2)).toEqual([
      "* VANISHED (EARLIER) 2",
      "* 2 FETCH (UID 3 FLAGS (\\Seen) MODSEQ (7))",
    ]);
  });

  test("UID FETCH (CHANGEDSINCE n VANISHED); live expunges are VANISHED", async () => {
    const { email, grantId } = await f.account();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await deliver(f, grantId, message())).id); // 2..4
    const c = await f.client(email);
    await c.ok("e ENABLE QRESYNC");
    await c.ok("s SELECT INBOX");
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${ids[0]}`); // 5
    // EARLIER does not change the message count; the live VANISHED at the end of the command does.
    expect(await c.ok("a1 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 3 VANISHED)")).toEqual([
      "* VANISHED (EARLIER) 1",
      "* 3 FETCH (UID 3 FLAGS (\\Recent) MODSEQ (4))",
      "* VANISHED 1",
    ]);
    expect(await c.ok("a2 NOOP")).toEqual([]);
  });
});
