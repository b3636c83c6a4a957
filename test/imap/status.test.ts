import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_MAX_MESSAGE_BYTES: "5000000" });
});
afterAll(() => f.stop());

describe("STATUS", () => {
  test("errors", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 STATUS Nope (MESSAGES)")).tagged).toBe(
      'a1 NO [NONEXISTENT] mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 STATUS INBOX (FOO)")).tagged).toBe("a2 BAD STATUS: unknown STATUS item");
    expect((await c.transact("a3 STATUS INBOX ()")).tagged).toBe(
      "a3 BAD STATUS: STATUS needs at least one item",
    );
    expect((await c.transact("a4 STATUS INBOX MESSAGES")).tagged).toBe(
      "a4 BAD STATUS: status items must be a parenthesized list",
    );
  });

  test("every item", async () => {
    const { email, grantId } = await f.account();
    const a = message({ subject: "a" });
    const b = message({ subject: "b" });
    await deliver(f, grantId, a, "inbox", { seen: true });
    await deliver(f, grantId, b);
    const c = await f.client(email);
    const v = imapFolder(f.t.server.store, grantId, "inbox")?.uidValidity;
    expect(
      await c.ok(
        "a1 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE APPENDLIMIT)",
      ),
    ).toEqual([
      `* STATUS "INBOX" (MESSAGES 2 RECENT 2 UIDNEXT 3 UIDVALIDITY ${v} UNSEEN 1 HIGHESTMODSEQ 3 SIZE ${
        a.length + b.length
      } APPENDLIMIT 5000000)`,
    ]);
    // New mail is RECENT until a session selects the folder.
    await deliver(f, grantId, message());
    expect(await c.ok("a2 STATUS INBOX (RECENT)")).toEqual(['* STATUS "INBOX" (RECENT 3)']);
    await c.ok("a3 SELECT INBOX");
    expect(await c.ok("a4 STATUS INBOX (RECENT MESSAGES)")).toEqual([
      '* STATUS "INBOX" (RECENT 0 MESSAGES 3)',
    ]);
  });
});
