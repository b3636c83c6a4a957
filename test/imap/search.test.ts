import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
beforeAll(async () => {
  f = await imapFixture();
  const { email, grantId } = await f.account();
  const put = (raw: string, flags: Record<string, boolean>, internalDate: number) =>
    f.t.server.mailboxes.ask(grantId, "append", {
      folderId: "inbox",
      raw: Buffer.from(raw),
      flags,
      internalDate,
    });
  const day = (d: number) => Date.UTC(2025, 0, d, 12) / 1000;
  await put(
    message({
      subject: "Invoice 42 for March",
      from: "Billing <billing@shop.example>",
      body: "Please pay the invoice.",
    }),
    { seen: true },
    day(1),
  );
  await put(
    message({
      subject: "Lunch?",
      from: "Alice <alice@example.com>",
      to: "team@example.org",
      body: "Pizza at noon",
    }),
    { flagged: true },
    day(2),
  );
  await put(
    [
      "From: Bob <bob@example.net>",
      "To: alice@example.com",
      "Cc: carol@example.com",
      "Subject: =?utf-8?q?R=C3=A9sum=C3=A9?=",
      "Date: Fri, 03 Jan 2025 09:00:00 +0000",
      "Message-ID: <resume@example.net>",
      "X-Priority: 1",
      "",
      "My résumé is attached. Ünïcödé text.",
      "",
    ].join("\r\n"),
    { answered: true, deleted: true },
    day(3),
  );
  c = await f.client(email);
  await c.ok("s SELECT INBOX");
  await c.ok("k STORE 2 +FLAGS (Urgent)");
});
afterAll(() => f.stop());

const search = async (criteria: string) => (await c.ok(`t SEARCH ${criteria}`))[0];

describe("SEARCH", () => {
  test("errors: unknown key, bad date, missing argument, charset", async () => {
    expect((await c.transact("e1 SEARCH FOO")).tagged).toBe("e1 BAD SEARCH: unknown search key FOO");
    expect((await c.transact("e2 SEARCH SINCE 2025-01-01")).tagged).toBe(
      'e2 BAD SEARCH: invalid date "2025-01-01" (expected dd-Mon-yyyy)',
    );
    expect((await c.transact("e3 SEARCH FROM")).tagged).toBe("e3 BAD SEARCH: missing string");
    expect((await c.transact("e4 SEARCH CHARSET KOI8-R ALL")).tagged).toBe(
      "e4 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R",
    );
    expect((await c.transact("e5 SEARCH")).tagged).toBe("e5 BAD SEARCH: SEARCH needs at least one key");
    expect((await c.transact("e6 SEARCH RETURN (SAVE) ALL")).tagged).toBe(
      "e6 BAD SEARCH: unsupported SEARCH return option SAVE",
    );
  });

  test("flags and keywords", async () => {
    expect(await search("ALL")).toBe("* SEARCH 1 2 3");
    expect(await search("SEEN")).toBe("* SEARCH 1");
    expect(await search("UNSEEN")).toBe("* SEARCH 2 3");
    expect(await search("FLAGGED")).toBe("* SEARCH 2");
    expect(await search("ANSWERED DELETED")).toBe("* SEARCH 3");
    expect(await search("UNDELETED UNANSWERED")).toBe("* SEARCH 1 2");
    expect(await search("KEYWORD urgent")).toBe("* SEARCH 2");
    expect(await search("UNKEYWORD Urgent")).toBe("* SEARCH 1 3");
    expect(await search("DRAFT")).toBe("* SEARCH");
    expect(await search("UNDRAFT")).toBe("* SEARCH 1 2 3");
    // The session's SELECT claimed the three as \\Recent.
    expect(await search("RECENT")).toBe("* SEARCH 1 2 3");
    expect(await search("NEW")).toBe("* SEARCH 2 3");
    expect(await search("OLD")).toBe("* SEARCH");
  });

  test("addresses and subject: decoded, case-insensitive substrings", async () => {
    expect(await search("FROM alice")).toBe("* SEARCH 2");
    expect(await search("FROM BILLING@shop")).toBe("* SEARCH 1");
    expect(await search("TO alice@example.com")).toBe("* SEARCH 3");
    expect(await search("CC carol")).toBe("* SEARCH 3");
    expect(await search("BCC carol")).toBe("* SEARCH");
    expect(await search('SUBJECT "résumé"')).toBe("* SEARCH 3");
    expect(await search("CHARSET UTF-8 SUBJECT {8+}\r\nrésumé")).toBe("* SEARCH 3");
    expect(await search("SUBJECT invoice")).toBe("* SEARCH 1");
    expect(await search("HEADER X-Priority 1")).toBe("* SEARCH 3");
    expect(await search('HEADER X-Priority ""')).toBe("* SEARCH 3");
    expect(await search("HEADER Message-ID <resume@example.net>")).toBe("* SEARCH 3");
  });

  test("TEXT and BODY: case-insensitive substrings of the decoded text", async () => {
    expect(await search("BODY pizza")).toBe("* SEARCH 2");
    expect(await search("BODY invoice")).toBe("* SEARCH 1");
    expect(await search("TEXT invoice")).toBe("* SEARCH 1");
    expect(await search("TEXT alice")).toBe("* SEARCH 2 3");
    expect(await search('BODY "pay the"')).toBe("* SEARCH 1");
    expect(await search("BODY piz")).toBe("* SEARCH 2");
    expect(await search("BODY unicode")).toBe("* SEARCH 3");
    expect(await search("BODY nothinglikethis")).toBe("* SEARCH");
  });

  test("dates, sizes, sets, NOT, OR, parentheses", async () => {
    expect(await search("SINCE 2-Jan-2025")).toBe("* SEARCH 2 3");
    expect(await search("BEFORE 2-Jan-2025")).toBe("* SEARCH 1");
    expect(await search("ON 2-Jan-2025")).toBe("* SEARCH 2");
    expect(await search("SENTON 3-Jan-2025")).toBe("* SEARCH 3");
    expect(await search("SENTBEFORE 1-Jan-2025")).toBe("* SEARCH");
    expect(await search("LARGER 1")).toBe("* SEARCH 1 2 3");
    expect(await search("SMALLER 1")).toBe("* SEARCH");
    expect(await search("2:*")).toBe("* SEARCH 2 3");
    expect(await search("UID 1,3")).toBe("* SEARCH 1 3");
    expect(await search("NOT SEEN")).toBe("* SEARCH 2 3");
    expect(await search("OR SEEN FLAGGED")).toBe("* SEARCH 1 2");
    expect(await search("(OR SEEN FLAGGED) NOT FROM billing")).toBe("* SEARCH 2");
  });

  test("UID SEARCH answers UIDs; ESEARCH RETURN", async () => {
    expect((await c.ok("u1 UID SEARCH UNSEEN"))[0]).toBe("* SEARCH 2 3");
    expect((await c.ok("u2 SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN"))[0]).toBe(
      '* ESEARCH (TAG "u2") MIN 2 MAX 3 ALL 2:3 COUNT 2',
    );
    expect((await c.ok("u3 UID SEARCH RETURN () ALL"))[0]).toBe('* ESEARCH (TAG "u3") UID ALL 1:3');
    expect((await c.ok("u4 SEARCH RETURN (COUNT) DRAFT"))[0]).toBe('* ESEARCH (TAG "u4") COUNT 0');
  });
});

describe("SEARCH, as Dovecot answers (imaptest's search-body, search-date, search-addresses)", () => {
  let d: ImapClient;
  const nested = (depth: number, inner: string): string[] =>
    depth === 0
      ? ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", btoa(inner), ""]
      : [
          `Content-Type: multipart/mixed; boundary="b${depth}"`,
          "",
          `--b${depth}`,
          ...nested(depth - 1, inner),
          `--b${depth}--`,
          "",
        ];
  beforeAll(async () => {
    const { email, grantId } = await f.account();
    const put = (lines: string[]) =>
      f.t.server.mailboxes.ask(grantId, "append", {
        folderId: "inbox",
        raw: Buffer.from(lines.join("\r\n")),
      });
    await put(["Date: Sat, 24 Mar 2007 23:00:00 +0200", "Subject: one", "", "asdfghjkl zxcvbnm", ""]);
    await put(["Date: Sun, 25 Mar 2007 00:30:00 +0200", "X-Header: qwertyuiop", "", "asdfghjkl", ""]);
    await put([
      "Date: Sun, 25 Mar 2007 23:30:00 -0100",
      "MIME-Version: 1.0",
      ...nested(6, "deep needle-six here"),
    ]);
    await put([
      "Date: Mon, 26 Mar 2007 00:00:00 +0000",
      "To: groupname: a@example.org, b@example.org;, other: c@example.org;",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="x"',
      "",
      "--x",
      "Content-Type: text/plain",
      "",
      "outer",
      "--x",
      "Content-Type: message/rfc822",
      "",
      "Subject: attached subject",
      "X-Inner: innerheadervalue",
      "",
      "attached body words",
      "--x--",
      "",
    ]);
    await put([
      "Date: Tue, 27 Mar 2007 10:00:00 +0000",
      "To: undisclosed-recipients:;",
      "",
      "empty group",
      "",
    ]);
    d = await f.client(email);
    await d.ok("s SELECT INBOX");
  });
  const find = async (criteria: string) => (await d.ok(`t SEARCH ${criteria}`))[0];

  test("TEXT and BODY are substrings; TEXT covers every header field, BODY none", async () => {
    expect(await find("TEXT sdfghjk")).toBe("* SEARCH 1 2");
    expect(await find("BODY xcvbn")).toBe("* SEARCH 1");
    expect(await find("TEXT wertyuio")).toBe("* SEARCH 2");
    expect(await find("BODY wertyuio")).toBe("* SEARCH");
    expect(await find('TEXT "ghjkl zxc"')).toBe("* SEARCH 1");
    expect(await find("TEXT ASDFG")).toBe("* SEARCH 1 2");
  });

  test("words six multiparts deep, and inside an attached message (its header too)", async () => {
    expect(await find("BODY needle-six")).toBe("* SEARCH 3");
    expect(await find("BODY eedle-si")).toBe("* SEARCH 3");
    expect(await find("BODY innerheadervalue")).toBe("* SEARCH 4");
    expect(await find('BODY "body word"')).toBe("* SEARCH 4");
    expect(await find("TEXT attached")).toBe("* SEARCH 4");
    expect(await find("HEADER X-Inner innerheadervalue")).toBe("* SEARCH");
  });

  test("SENTON / SENTBEFORE / SENTSINCE in the Date header's own zone", async () => {
    expect(await find("SENTON 24-Mar-2007")).toBe("* SEARCH 1");
    expect(await find("SENTON 25-Mar-2007")).toBe("* SEARCH 2 3");
    expect(await find("SENTBEFORE 25-Mar-2007")).toBe("* SEARCH 1");
    expect(await find("SENTSINCE 26-Mar-2007")).toBe("* SEARCH 4 5");
    expect(await find("NOT SENTON 25-Mar-2007")).toBe("* SEARCH 1 4 5");
  });

  test("TO matches an RFC 5322 group's name", async () => {
    expect(await find("TO groupname")).toBe("* SEARCH 4");
    expect(await find("TO other")).toBe("* SEARCH 4");
    expect(await find("TO undisclosed")).toBe("* SEARCH 5");
    expect(await find("TO b@example")).toBe("* SEARCH 4");
    expect(await find("FROM groupname")).toBe("* SEARCH");
  });

  test("a message stored before its search text was kept is read from its bytes", async () => {
    const { email, grantId } = await f.account();
    const raw = ["Subject: old", "X-Old: legacyheader", "", "legacy body text", ""].join("\r\n");
    await f.t.server.mailboxes.ask(grantId, "append", { folderId: "inbox", raw: Buffer.from(raw) });
    await f.t.server.store.writer.submit((tx) => {
      tx.$client
        .prepare(
          "DELETE FROM message_search_text WHERE message_id IN (SELECT id FROM messages WHERE grant_id = ?)",
        )
        .run(grantId);
    });
    const old = await f.client(email);
    await old.ok("s SELECT INBOX");
    expect((await old.ok('a SEARCH BODY "acy bod"'))[0]).toBe("* SEARCH 1");
    expect((await old.ok("b SEARCH TEXT legacyheader"))[0]).toBe("* SEARCH 1");
    expect((await old.ok("c SEARCH BODY legacyheader"))[0]).toBe("* SEARCH");
  });
});
