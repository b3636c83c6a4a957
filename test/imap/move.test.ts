import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("MOVE", () => {
  test("errors: no target, read-only", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a EXAMINE INBOX");
    expect((await c.transact("a1 MOVE 1 Nowhere")).tagged).toBe(
      'a1 NO [TRYCREATE] Mailbox "Nowhere" does not exist',
    );
    expect((await c.transact("a2 MOVE 1 Archive")).tagged).toBe(
      "a2 NO [READ-ONLY] The mailbox is read-only (EXAMINE)",
    );
  });

  test("the same message changes folder: COPYUID, then EXPUNGE; the API sees the new folder", async () => {
    const { email, grantId } = await f.account();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await deliver(f, grantId, message())).id);
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    const v = imapFolder(f.t.server.store, grantId, "archive")?.uidValidity;
    expect(await c.transact("a1 MOVE 1,3 Archive")).toEqual({
      untagged: [`* OK [COPYUID ${v} 1,3 1:2] Moved`, "* 1 EXPUNGE", "* 2 EXPUNGE"],
      tagged: "a1 OK MOVE completed",
    });
    const moved = await api(f.t, "GET", `/v3/grants/${grantId}/messages/${ids[2]}`);
    expect(moved.body.data.folders).toEqual(["archive"]);
    expect(moved.body.data.id).toBe(ids[2]);
    expect(await c.transact("a2 UID MOVE 2 Junk")).toEqual({
      untagged: [
        `* OK [COPYUID ${imapFolder(f.t.server.store, grantId, "junk")?.uidValidity} 2 1] Moved`,
        "* 1 EXPUNGE",
      ],
      tagged: "a2 OK UID MOVE completed",
    });
  });

  test("with QRESYNC the moved messages are told as VANISHED", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 2; i++) await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("e ENABLE QRESYNC");
    await c.ok("a SELECT INBOX");
    const r = await c.transact("a1 UID MOVE 1:2 Archive");
    expect(r.untagged.slice(1)).toEqual(["* VANISHED 1:2"]);
  });

  test("into the selected mailbox itself: new UIDs; COPYUID, EXPUNGE and EXISTS, and another session sees the same", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 2; i++) await deliver(f, grantId, message());
    const c = await f.client(email);
    const other = await f.client(email);
    await c.ok("a SELECT INBOX");
    await other.ok("b SELECT INBOX");
    const v = imapFolder(f.t.server.store, grantId, "inbox")?.uidValidity;
    expect(await c.transact("a1 MOVE 1 INBOX")).toEqual({
      untagged: [`* OK [COPYUID ${v} 1 3] Moved`, "* 1 EXPUNGE", "* 2 EXISTS", "* 2 RECENT"],
      tagged: "a1 OK MOVE completed",
    });
    expect(await c.ok("a2 FETCH 1:* (UID)")).toEqual(["* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)"]);
    expect(await other.ok("b1 NOOP")).toEqual(["* 1 EXPUNGE", "* 2 EXISTS", "* 0 RECENT"]);
    expect(imapFolder(f.t.server.store, grantId, "inbox")?.uidNext).toBe(4);
  });
});
