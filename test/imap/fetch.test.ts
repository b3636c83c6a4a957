import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
let grantId: string;
beforeAll(async () => {
  f = await imapFixture();
  const account = await f.account();
  grantId = account.grantId;
  await f.t.server.mailboxes.ask(grantId, "append", {
    folderId: "inbox",
    raw: Buffer.from(MULTIPART),
    internalDate: 1748930950,
  });
  await f.t.server.mailboxes.ask(grantId, "append", {
    folderId: "inbox",
    raw: BINARY,
    internalDate: 1748930951,
  });
  c = await f.client(account.email);
  await c.ok("s SELECT INBOX");
});
afterAll(() => f.stop());

const MULTIPART = [
  "From: =?utf-8?q?Andr=C3=A9?= <andre@example.com>",
  'To: bob@example.org, "Carol C" <carol@example.net>',
  "Subject: Multipart test",
  "Date: Tue, 03 Jun 2025 08:09:10 +0200",
  "Message-ID: <mp1@example.com>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="XX"',
  "",
  "preamble",
  "--XX",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Line one",
  "Line two",
  "--XX",
  'Content-Type: application/pdf; name="a.pdf"',
  'Content-Disposition: attachment; filename="a.pdf"',
  "Content-Transfer-Encoding: base64",
  "",
  "JVBERi0xLjQK",
  "--XX--",
  "",
].join("\r\n");

/** 8-bit bytes, a bare LF and a lone CR: served exactly as stored. */
const BINARY = Buffer.concat([
  Buffer.from("From: x@example.com\r\nSubject: bytes\r\nMessage-ID: <bin@example.com>\r\n\r\n"),
  Buffer.from([0xe9, 0x74, 0xe9, 0x0a, 0x41, 0x0d, 0x42, 0xff, 0x0d, 0x0a]),
]);

describe("FETCH", () => {
  test("errors: bad sets, unknown items, bad sections, modifiers", async () => {
    expect((await c.transact("e1 FETCH 3 FLAGS")).tagged).toBe("e1 BAD Invalid message sequence number");
    expect((await c.transact("e2 FETCH 0 FLAGS")).tagged).toBe('e2 BAD FETCH: invalid sequence set "0"');
    expect((await c.transact("e3 FETCH 1 (FLAGS FOO)")).tagged).toBe(
      "e3 BAD FETCH: unknown fetch attribute FOO",
    );
    expect((await c.transact("e4 FETCH 1 BODY[1.TEXTX]")).tagged).toBe(
      "e4 BAD FETCH: invalid section [1.TEXTX]",
    );
    expect((await c.transact("e5 FETCH 1 BINARY[1.FOO]")).tagged).toBe(
      "e5 BAD FETCH: invalid section [1.FOO]",
    );
    expect((await c.transact("e6 FETCH 1 ()")).tagged).toBe("e6 BAD FETCH: empty fetch attribute list");
    expect((await c.transact("e7 FETCH 1 FLAGS (VANISHED)")).tagged).toBe(
      "e7 BAD FETCH: VANISHED needs CHANGEDSINCE",
    );
    expect((await c.transact("e8 FETCH 1")).tagged).toBe("e8 BAD FETCH: missing fetch attributes");
    expect((await c.transact("e9 UID FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)")).tagged).toBe(
      "e9 BAD VANISHED needs UID FETCH and ENABLE QRESYNC",
    );
  });

  test("UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE (raw header values; Sender/Reply-To default to From)", async () => {
    expect(await c.ok("a1 FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)")).toEqual([
      '* 1 FETCH (UID 1 FLAGS (\\Recent) INTERNALDATE " 3-Jun-2025 06:09:10 +0000" RFC822.SIZE 504 ENVELOPE ("Tue, 03 Jun 2025 08:09:10 +0200" "Multipart test" (("=?utf-8?q?Andr=C3=A9?=" NIL "andre" "example.com")) (("=?utf-8?q?Andr=C3=A9?=" NIL "andre" "example.com")) (("=?utf-8?q?Andr=C3=A9?=" NIL "andre" "example.com")) ((NIL NIL "bob" "example.org")("Carol C" NIL "carol" "example.net")) NIL NIL NIL "<mp1@example.com>"))',
    ]);
  });

  test("BODYSTRUCTURE and BODY", async () => {
    expect(await c.ok("a2 FETCH 1 BODYSTRUCTURE")).toEqual([
      '* 1 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 18 1 NIL NIL NIL NIL)("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 12 NIL ("attachment" ("filename" "a.pdf")) NIL NIL) "mixed" ("boundary" "XX") NIL NIL NIL))',
    ]);
    expect(await c.ok("a3 FETCH 1 BODY")).toEqual([
      '* 1 FETCH (BODY (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 18 1)("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 12) "mixed"))',
    ]);
  });

  test("sections: parts, MIME, HEADER.FIELDS, TEXT with a partial; a missing part is empty (as in Dovecot)", async () => {
    expect(
      await c.ok(
        "a4 FETCH 1 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[TEXT]<0.20>)",
      ),
    ).toEqual([
      '* 1 FETCH (BODY[1] {18}\r\nLine one\r\nLine two BODY[2.MIME] {133}\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n BODY[HEADER.FIELDS (SUBJECT FROM)] {77}\r\nFrom: =?utf-8?q?Andr=C3=A9?= <andre@example.com>\r\nSubject: Multipart test\r\n\r\n BODY[TEXT]<0> {20}\r\npreamble\r\n--XX\r\nCont)',
    ]);
    expect(
      await c.ok("a5 FETCH 1 (BODY.PEEK[3] BODY.PEEK[1.1] BODY.PEEK[]<500.100> BODY.PEEK[]<600>)"),
    ).toEqual([
      "* 1 FETCH (BODY[3] {0}\r\n BODY[1.1] {18}\r\nLine one\r\nLine two BODY[]<500> {4}\r\n--\r\n BODY[]<600> {0}\r\n)",
    ]);
    expect(
      await c.ok("a6 FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (From To Date Subject Message-ID Content-Type)])"),
    ).toEqual([
      "* 1 FETCH (BODY[HEADER.FIELDS.NOT (From To Date Subject Message-ID Content-Type)] {21}\r\nMIME-Version: 1.0\r\n\r\n)",
    ]);
  });

  test("BODY[], RFC822 and RFC822.HEADER/TEXT are byte-exact, 8-bit and odd line ends included", async () => {
    const whole = (await c.ok("a7 FETCH 2 BODY.PEEK[]"))[0] as string;
    expect(whole).toBe(`* 2 FETCH (BODY[] {${BINARY.length}}\r\n${BINARY.toString("latin1")})`);
    const rfc = await c.ok("a8 FETCH 1 (RFC822.HEADER RFC822.SIZE)");
    const header = MULTIPART.slice(0, MULTIPART.indexOf("\r\n\r\n") + 4);
    expect(rfc).toEqual([`* 1 FETCH (RFC822.HEADER {${header.length}}\r\n${header} RFC822.SIZE 504)`]);
  });

  test("BODY[] without PEEK sets \\Seen and reports FLAGS first; PEEK and RFC822.HEADER do not", async () => {
    expect(await c.ok("a9 FETCH 2 (FLAGS)")).toEqual(["* 2 FETCH (FLAGS (\\Recent))"]);
    const r = await c.ok("a10 FETCH 2 (BODY[HEADER.FIELDS (SUBJECT)])");
    expect(r).toEqual([
      "* 2 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: bytes\r\n\r\n)",
    ]);
    // The actor's change is not echoed as a second FETCH.
    expect(await c.transact("a11 NOOP")).toEqual({ untagged: [], tagged: "a11 OK NOOP completed" });
    const t = await c.ok("a12 FETCH 1 RFC822.TEXT");
    expect(t[0]).toStartWith("* 1 FETCH (FLAGS (\\Seen \\Recent) RFC822.TEXT {");
  });

  test("macros, UID FETCH with ranges past the end, and the UID always in UID FETCH", async () => {
    expect(await c.ok("a13 FETCH 1:2 FAST")).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE " 3-Jun-2025 06:09:10 +0000" RFC822.SIZE 504)',
      `* 2 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE " 3-Jun-2025 06:09:11 +0000" RFC822.SIZE ${BINARY.length})`,
    ]);
    expect(await c.ok("a14 UID FETCH 5:* FLAGS")).toEqual(["* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))"]);
    expect(await c.ok("a15 UID FETCH 3:4 FLAGS")).toEqual([]);
    expect(await c.ok("a16 FETCH * UID")).toEqual(["* 2 FETCH (UID 2)"]);
  });

  test("a large folder streams every message", async () => {
    const account = await f.account();
    // Queued together (group-committed); the facade keeps call order, so n{i} gets UID i+1.
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        f.t.server.mailboxes.ask(account.grantId, "append", {
          folderId: "inbox",
          raw: Buffer.from(message({ subject: `n${i}` })),
        }),
      ),
    );
    const d = await f.client(account.email);
    await d.ok("b1 SELECT INBOX");
    const lines = await d.ok("b2 UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    expect(lines).toHaveLength(300);
    expect(lines[299]).toBe(
      "* 300 FETCH (UID 300 FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {17}\r\nSubject: n299\r\n\r\n)",
    );
  });
});
