import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapAppend, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_MAX_MESSAGE_BYTES: "100000" });
});
afterAll(() => f.stop());

describe("APPEND", () => {
  test("errors: no mailbox (TRYCREATE), not a literal, bad date, bad flags, empty message", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect(await imapAppend(c, "a1", "Nope", message())).toBe(
      'a1 NO [TRYCREATE] Mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 APPEND INBOX notaliteral")).tagged).toBe(
      "a2 BAD APPEND: the message must be a literal",
    );
    expect((await c.transact('a3 APPEND INBOX "31-Foo-2020 00:00:00 +0000" {1+}\r\nx')).tagged).toBe(
      "a3 BAD APPEND: invalid date-time",
    );
    expect((await c.transact("a4 APPEND INBOX (\\Bogus) {1+}\r\nx")).tagged).toBe(
      "a4 BAD APPEND: unknown system flag \\Bogus",
    );
    expect((await c.transact("a5 APPEND INBOX {0+}\r\n")).tagged).toBe(
      "a5 NO [CANNOT] An empty message cannot be appended",
    );
  });

  test("a literal over APPENDLIMIT: NO [TOOBIG] at once, the literal is never read", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.ok("a0 CAPABILITY"))[0]).toContain("APPENDLIMIT=100000");
    expect((await c.transact("a1 APPEND INBOX {100001}")).tagged).toBe(
      "a1 NO [TOOBIG] Literal of 100001 bytes is over APPENDLIMIT (100000)",
    );
    // The connection is still in sync.
    expect((await c.transact("a2 NOOP")).tagged).toBe("a2 OK NOOP completed");
    // LITERAL+ over the limit: the bytes are on their way, so the server must close.
    c.write("a3 APPEND INBOX {100001+}\r\n");
    expect(await c.line()).toBe("a3 NO [TOOBIG] Literal of 100001 bytes is over APPENDLIMIT (100000)");
    expect(await c.line()).toBe("* BYE Closing: a non-synchronizing literal over the limit was sent");
  });

  test("stored byte-exact with flags and date; APPENDUID; EXISTS in the selected mailbox", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    const raw = message({ subject: "appended" });
    const v = imapFolder(f.t.server.store, grantId, "inbox")?.uidValidity;
    const bytes = Buffer.from(raw);
    const r = await c.transact(
      `a1 APPEND INBOX (\\Seen $Tag) " 5-Jan-2025 10:00:00 +0100" {${bytes.length}+}\r\n${raw}`,
    );
    expect(r).toEqual({
      untagged: ["* 1 EXISTS", "* 1 RECENT"],
      tagged: `a1 OK [APPENDUID ${v} 1] APPEND completed`,
    });
    // The new keyword joins FLAGS before a FETCH uses it (RFC 3501 §7.2.6).
    expect(await c.ok("a2 FETCH 1 (FLAGS INTERNALDATE BODY.PEEK[])")).toEqual([
      "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Tag)",
      "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Tag \\*)] Flags permitted",
      `* 1 FETCH (FLAGS (\\Seen \\Recent $Tag) INTERNALDATE " 5-Jan-2025 09:00:00 +0000" BODY[] {${bytes.length}}\r\n${raw})`,
    ]);
    const list = await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=inbox`);
    expect(list.body.data[0].subject).toBe("appended");
    expect(list.body.data[0].unread).toBe(false);
  });

  test("de-duplicated on Message-ID in the mailbox: APPENDUID names the existing message", async () => {
    const { email, grantId } = await f.account();
    const raw = message({ messageId: "<sent-once@example.com>" });
    // As if SMTP submission had stored the Sent copy.
    const sent = await deliver(f, grantId, raw, "sent");
    const c = await f.client(email);
    const v = imapFolder(f.t.server.store, grantId, "sent")?.uidValidity;
    expect(await imapAppend(c, "a1", "Sent", raw, "\\Seen")).toBe(
      `a1 OK [APPENDUID ${v} ${sent.uid}] APPEND completed: the message was already in this mailbox`,
    );
    expect(await c.ok("a2 STATUS Sent (MESSAGES)")).toEqual(['* STATUS "Sent" (MESSAGES 1)']);
    // Another mailbox is another matter.
    expect(await imapAppend(c, "a3", "Archive", raw)).toMatch(/^a3 OK \[APPENDUID \d+ 1\] APPEND completed$/);
  });

  test("outside Sent a second copy of a Message-ID is stored, as any IMAP server does", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const raw = message({ messageId: "<twice@example.com>" });
    expect(await imapAppend(c, "a1", "INBOX", raw)).toMatch(/^a1 OK \[APPENDUID \d+ 1\] APPEND completed$/);
    expect(await imapAppend(c, "a2", "INBOX", raw)).toMatch(/^a2 OK \[APPENDUID \d+ 2\] APPEND completed$/);
    expect(await c.ok("a3 STATUS INBOX (MESSAGES)")).toEqual(['* STATUS "INBOX" (MESSAGES 2)']);
  });

  test("not in Drafts: a re-saved draft is stored again, and is an API draft", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    const raw = message({ messageId: "<draft-1@example.com>", subject: "draft" });
    expect(await imapAppend(c, "a1", "Drafts", raw, "\\Draft \\Seen")).toMatch(/APPENDUID \d+ 1\]/);
    expect(await imapAppend(c, "a2", "Drafts", raw, "\\Draft \\Seen")).toMatch(/APPENDUID \d+ 2\]/);
    const drafts = await api(f.t, "GET", `/v3/grants/${grantId}/drafts`);
    expect(drafts.status).toBe(200);
    expect(drafts.body.data).toHaveLength(2);
    expect(drafts.body.data[0].subject).toBe("draft");
  });

  test("over the storage quota: NO [OVERQUOTA]", async () => {
    const { email, grantId } = await f.account();
    await f.t.server.store.writer.submit((tx) => {
      tx.$client.prepare("UPDATE grants SET storage_quota_bytes = 1000 WHERE id = ?").run(grantId);
    });
    await f.t.server.mailboxes.remove(grantId);
    const c = await f.client(email);
    expect(await imapAppend(c, "a1", "INBOX", message({ body: "y".repeat(2000) }))).toMatch(
      /^a1 NO \[OVERQUOTA\] storage quota exceeded/,
    );
  });

  test("a client that disconnects mid-literal stores nothing", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    c.write("a1 APPEND INBOX {5000}\r\n");
    expect(await c.line()).toBe("+ Ready for literal data");
    c.write("From: x@example.com\r\nSubject: cut\r\n\r\nonly part of it");
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    const d = await f.client(email);
    expect(await d.ok("b1 STATUS INBOX (MESSAGES)")).toEqual(['* STATUS "INBOX" (MESSAGES 0)']);
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=inbox`)).body.data).toHaveLength(0);
  });
});

describe("APPEND of a large message", () => {
  let g: ImapFixture;
  beforeAll(async () => {
    g = await imapFixture();
  });
  afterAll(() => g.stop());

  test("8 MB with LITERAL+ in one write, stored and served byte-exact", async () => {
    const { email } = await g.account();
    const c = await g.client(email);
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = 0x41 + (i % 26);
    for (let i = 76; i < body.length; i += 78) {
      body[i] = 0x0d;
      body[i + 1] = 0x0a;
    }
    const raw = Buffer.concat([Buffer.from("From: big@example.com\r\nSubject: big\r\n\r\n"), body]);
    const started = performance.now();
    c.write(Buffer.concat([Buffer.from(`a1 APPEND INBOX {${raw.length}+}\r\n`), raw, Buffer.from("\r\n")]));
    expect((await c.until("a1", 30_000)).tagged).toMatch(/^a1 OK \[APPENDUID \d+ 1\] APPEND completed$/);
    expect(performance.now() - started).toBeLessThan(10_000);
    await c.ok("a2 SELECT INBOX");
    const fetched = (await c.ok("a3 FETCH 1 BODY.PEEK[]"))[0] as string;
    expect(fetched.length).toBe(`* 1 FETCH (BODY[] {${raw.length}}\r\n`.length + raw.length + 1);
    expect(fetched.endsWith(`${raw.subarray(raw.length - 100).toString("latin1")})`)).toBe(true);
  }, 60_000);
});
