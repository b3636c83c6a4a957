import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

const uidValidity = (grantId: string, folderId = "inbox") =>
  imapFolder(f.t.server.store, grantId, folderId)?.uidValidity;

describe("SELECT", () => {
  test("errors: no such mailbox, missing name, bad parameters, invalid UTF-7", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 SELECT Nope")).tagged).toBe(
      'a1 NO [NONEXISTENT] Mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 SELECT")).tagged).toBe("a2 BAD SELECT: missing mailbox name");
    expect((await c.transact("a3 SELECT INBOX (FOO)")).tagged).toBe(
      "a3 BAD SELECT: unknown SELECT parameter",
    );
    expect((await c.transact("a4 SELECT INBOX (QRESYNC (1 2))")).tagged).toBe(
      "a4 BAD SELECT: QRESYNC must be ENABLEd first",
    );
    expect((await c.transact("a5 SELECT &Jjo")).tagged).toBe(
      "a5 NO [CANNOT] mailbox name is not valid modified UTF-7",
    );
    // A failed SELECT leaves no mailbox selected.
    expect((await c.transact("a6 FETCH 1 FLAGS")).tagged).toStartWith(
      "a6 BAD FETCH is not valid in this state",
    );
  });

  test("an empty INBOX, in any case", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    const v = uidValidity(grantId);
    expect(await c.transact("a1 select inbox")).toEqual({
      untagged: [
        "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)",
        "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft \\*)] Flags permitted",
        "* 0 EXISTS",
        "* 0 RECENT",
        `* OK [UIDVALIDITY ${v}] UIDs valid`,
        "* OK [UIDNEXT 1] Predicted next UID",
        "* OK [HIGHESTMODSEQ 1] Highest",
      ],
      tagged: "a1 OK [READ-WRITE] SELECT completed",
    });
  });

  test("messages, keywords, first unseen, recent for the first session only", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message(), "inbox", { seen: true });
    await deliver(f, grantId, message());
    await f.t.server.mailboxes.ask(grantId, "storeFlags", {
      folderId: "inbox",
      uids: [1],
      change: { mode: "add", flags: { keywords: ["$Label1"] } },
    });
    const v = uidValidity(grantId);
    const c = await f.client(email);
    // The first SELECT of the folder since start sets the recent floor; new mail after it is recent.
    await c.ok("a0 SELECT INBOX");
    await c.ok("a0b CLOSE");
    await deliver(f, grantId, message());
    const r = await c.transact("a1 SELECT INBOX");
    expect(r.untagged).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Label1)",
      "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Label1 \\*)] Flags permitted",
      "* 3 EXISTS",
      "* 1 RECENT",
      "* OK [UNSEEN 2] First unseen message",
      `* OK [UIDVALIDITY ${v}] UIDs valid`,
      "* OK [UIDNEXT 4] Predicted next UID",
      "* OK [HIGHESTMODSEQ 5] Highest",
    ]);
    const d = await f.client(email);
    expect((await d.ok("b1 SELECT INBOX")).find((l) => l.endsWith("RECENT"))).toBe("* 0 RECENT");
    expect((await c.ok("a2 FETCH 3 FLAGS"))[0]).toBe("* 3 FETCH (FLAGS (\\Recent))");
  });

  test("EXAMINE is read-only; selecting another mailbox says CLOSED", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a1 SELECT INBOX");
    const r = await c.transact("a2 EXAMINE Sent");
    expect(r.untagged[0]).toBe("* OK [CLOSED] Previous mailbox closed");
    expect(r.untagged).toContain("* OK [PERMANENTFLAGS ()] No permanent flags permitted");
    expect(r.tagged).toBe("a2 OK [READ-ONLY] EXAMINE completed");
    await c.ok("a3 EXAMINE INBOX");
    expect((await c.transact("a4 STORE 1 +FLAGS (\\Seen)")).tagged).toBe(
      "a4 NO [READ-ONLY] The mailbox is read-only (EXAMINE)",
    );
    expect((await c.transact("a5 EXPUNGE")).tagged).toBe(
      "a5 NO [READ-ONLY] The mailbox is read-only (EXAMINE)",
    );
    // BODY[] does not set \Seen in a read-only mailbox.
    await c.ok("a6 FETCH 1 BODY[]");
    expect(await c.ok("a7 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS ())"]);
  });

  test("CLOSE expunges silently; UNSELECT does not expunge", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message(), "inbox", { deleted: true });
    await deliver(f, grantId, message(), "inbox", { deleted: true });
    const c = await f.client(email);
    await c.ok("a1 SELECT INBOX");
    expect(await c.transact("a2 UNSELECT")).toEqual({ untagged: [], tagged: "a2 OK UNSELECT completed" });
    expect((await c.transact("a3 FETCH 1 FLAGS")).tagged).toStartWith("a3 BAD");
    await c.ok("a4 SELECT INBOX");
    expect(await c.transact("a5 CLOSE")).toEqual({ untagged: [], tagged: "a5 OK CLOSE completed" });
    const st = await c.ok("a6 STATUS INBOX (MESSAGES)");
    expect(st).toEqual(['* STATUS "INBOX" (MESSAGES 0)']);
    expect(await c.ok("a7 STATUS Trash (MESSAGES)")).toEqual(['* STATUS "Trash" (MESSAGES 2)']);
  });
});
