/**
 * BINARY (RFC 3516): FETCH BINARY[…], BINARY.PEEK, BINARY.SIZE with the transfer encoding undone,
 * literal8 answers, NO [UNKNOWN-CTE], and APPEND with a literal8 holding NULs.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
let grantId: string;

const crlf = (lines: string[]) => lines.join("\r\n");

const ENCODED = crlf([
  "From: a@example.com",
  "Subject: encoded parts",
  'Content-Type: multipart/mixed; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain",
  "Content-Transfer-Encoding: base64",
  "",
  "aGVs",
  "bG8gd29ybGQ=",
  "--b",
  "Content-Type: text/plain",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "caf=C3=A9 =3D ok  ",
  "soft=",
  "break",
  "--b",
  "Content-Type: application/octet-stream",
  "Content-Transfer-Encoding: base64",
  "",
  "AAEC/w==",
  "--b",
  "Content-Type: text/plain",
  "",
  "plain",
  "--b--",
  "",
]);

const UNKNOWN = crlf([
  "From: a@example.com",
  'Content-Type: multipart/mixed; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain",
  "Content-Transfer-Encoding: x-uuencode",
  "",
  "begin 644 x",
  "--b",
  "Content-Type: text/plain",
  "",
  "fine",
  "--b--",
  "",
]);

beforeAll(async () => {
  f = await imapFixture();
  const account = await f.account();
  grantId = account.grantId;
  for (const raw of [ENCODED, UNKNOWN]) {
    await f.t.server.mailboxes.ask(grantId, "append", { folderId: "inbox", raw: Buffer.from(raw) });
  }
  c = await f.client(account.email);
  await c.ok("s SELECT INBOX");
});
afterAll(() => f.stop());

describe("BINARY", () => {
  test("errors: a bad section is BAD; an encoding not known here is NO [UNKNOWN-CTE]", async () => {
    expect((await c.transact("e1 FETCH 1 BINARY[1.FOO]")).tagged).toBe(
      "e1 BAD FETCH: invalid section [1.FOO]",
    );
    expect((await c.transact("e2 FETCH 1 BINARY.PEEK[1]<0.0>")).tagged).toBe(
      "e2 BAD partial length must not be zero",
    );
    const unknown = await c.transact("e3 FETCH 2 BINARY.PEEK[1]");
    expect(unknown.untagged).toEqual([]);
    expect(unknown.tagged).toBe("e3 NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding x-uuencode");
    expect((await c.transact("e4 FETCH 2 BINARY.SIZE[]")).tagged).toStartWith("e4 NO [UNKNOWN-CTE]");
    // The other part of that message decodes (it is plain 7bit).
    expect(await c.ok("e5 FETCH 2 (BINARY.PEEK[2] BINARY.SIZE[2])")).toEqual([
      "* 2 FETCH (BINARY[2] {4}\r\nfine BINARY.SIZE[2] 4)",
    ]);
  });

  test("CAPABILITY advertises BINARY", async () => {
    const [caps] = await c.ok("c1 CAPABILITY");
    expect(caps?.split(" ")).toContain("BINARY");
  });

  test("a base64 part decoded, as a literal8; BINARY.SIZE is the decoded size", async () => {
    expect(await c.ok("b1 FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])")).toEqual([
      "* 1 FETCH (BINARY.SIZE[1] 11 BINARY[1] ~{11}\r\nhello world)",
    ]);
    // Bytes no literal may carry (NUL, 0xff) come back exactly.
    expect(await c.ok("b2 FETCH 1 (BINARY.PEEK[3])")).toEqual([
      "* 1 FETCH (BINARY[3] ~{4}\r\n\x00\x01\x02\xff)",
    ]);
  });

  test("quoted-printable decoded: escapes, soft breaks, trailing blanks removed", async () => {
    const text = "café = ok\r\nsoftbreak";
    const bytes = Buffer.from(text, "utf8");
    expect(await c.ok("q1 FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2])")).toEqual([
      `* 1 FETCH (BINARY[2] ~{${bytes.length}}\r\n${bytes.toString("latin1")} BINARY.SIZE[2] ${bytes.length})`,
    ]);
  });

  test("partial: <start.length> of the decoded bytes, labelled <start>", async () => {
    expect(await c.ok("p1 FETCH 1 (BINARY.PEEK[1]<6.5> BINARY.PEEK[1]<20.5>)")).toEqual([
      "* 1 FETCH (BINARY[1]<6> ~{5}\r\nworld BINARY[1]<20> ~{0}\r\n)",
    ]);
  });

  test("a 7bit part is a plain literal", async () => {
    expect(await c.ok("l1 FETCH 1 (BINARY.PEEK[4])")).toEqual(["* 1 FETCH (BINARY[4] {5}\r\nplain)"]);
  });

  test("BINARY[] is the whole message with each encoded part decoded and declared binary", async () => {
    const [line] = await c.ok("w1 FETCH 1 (BINARY.PEEK[])");
    expect(line).toContain("Content-Transfer-Encoding: binary\r\n\r\nhello world\r\n--b");
    expect(line).toContain(
      "Content-Transfer-Encoding: binary\r\n\r\ncafé = ok\r\nsoftbreak\r\n--b".replace("é", "\xc3\xa9"),
    );
    expect(line).not.toContain("base64");
    const size = Number(/\{(\d+)\}/.exec(line ?? "")?.[1]);
    expect(await c.ok("w2 FETCH 1 (BINARY.SIZE[])")).toEqual([`* 1 FETCH (BINARY.SIZE[] ${size})`]);
  });

  test("BINARY without PEEK sets \\Seen; BINARY.SIZE does not", async () => {
    expect(await c.ok("s1 FETCH 1 (BINARY.SIZE[4])")).toEqual(["* 1 FETCH (BINARY.SIZE[4] 5)"]);
    expect(await c.ok("s2 FETCH 1 (BINARY[4])")).toEqual([
      "* 1 FETCH (FLAGS (\\Seen \\Recent) BINARY[4] {5}\r\nplain)",
    ]);
  });

  test("APPEND with a literal8: parts holding NUL are stored as base64, BINARY gives the bytes back", async () => {
    const body = Buffer.from([0x00, 0x2d, 0xe4, 0x0a, 0x0d, 0x0a, 0x0a]);
    const raw = Buffer.concat([
      Buffer.from(
        "From: user@example.org\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n",
      ),
      body,
    ]);
    c.write(`a1 APPEND INBOX ~{${raw.length}+}\r\n`);
    c.write(raw);
    c.write("\r\n");
    const appended = await c.until("a1");
    expect(appended.tagged).toMatch(/^a1 OK \[APPENDUID \d+ 3\] APPEND completed$/);
    await c.ok("n1 NOOP");
    expect(await c.ok("a2 FETCH 3 (BODY.PEEK[1] BINARY.SIZE[1] BINARY.PEEK[1])")).toEqual([
      `* 3 FETCH (BODY[1] {12}\r\nAC3kCg0KCg== BINARY.SIZE[1] 7 BINARY[1] ~{7}\r\n${body.toString("latin1")})`,
    ]);
    expect((await c.ok("a3 FETCH 3 (BODY.PEEK[HEADER])"))[0]).toContain(
      "Content-Transfer-Encoding: base64\r\n",
    );
  });

  test("a literal8 is refused where APPEND data is not expected", async () => {
    c.write("x1 STATUS ~{5+}\r\nINBOX (MESSAGES)\r\n");
    expect((await c.until("x1")).tagged).toBe("x1 BAD STATUS: mailbox name must be a string");
  });
});
