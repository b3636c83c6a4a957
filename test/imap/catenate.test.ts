/**
 * CATENATE (RFC 4469): APPEND of a message made of TEXT literals and IMAP URLs naming messages
 * or sections of this account; [BADURL], [TOOBIG], [TRYCREATE]; combined with MULTIAPPEND.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapClient, type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
let uidValidity: string;

const crlf = (lines: string[]) => lines.join("\r\n");
const FIRST = crlf(["From: foo@example.com", "Subject: first", "", "Hello world body", ""]);
const MULTIPART = crlf([
  "From: bar@example.com",
  'Content-Type: multipart/mixed; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain",
  "",
  "part one",
  "--b",
  "Content-Type: text/plain",
  "",
  "part two",
  "--b--",
  "",
]);

/** `TEXT {n+}\r\n<bytes>`. */
const text = (s: string) => `TEXT {${Buffer.byteLength(s)}+}\r\n${s}`;

async function body(seq: number): Promise<string> {
  const [line] = await c.ok(`b${seq} FETCH ${seq} BODY.PEEK[]`);
  return (line ?? "").replace(/^\* \d+ FETCH \(BODY\[\] \{\d+\}\r\n/, "").replace(/\)$/, "");
}

beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_MAX_MESSAGE_BYTES: "100000" });
  const account = await f.account();
  await deliver(f, account.grantId, FIRST);
  await deliver(f, account.grantId, MULTIPART);
  await deliver(f, account.grantId, `From: big@example.com\r\n\r\n${"x".repeat(50_000)}\r\n`);
  // Another account, whose INBOX has a UID 4: no URL of ours reaches it.
  const other = await f.account();
  for (let i = 0; i < 4; i++) await deliver(f, other.grantId, FIRST);
  c = await f.client(account.email);
  await c.ok("c1 CREATE Target");
  const status = await c.ok("s1 STATUS INBOX (UIDVALIDITY)");
  uidValidity = /UIDVALIDITY (\d+)/.exec(status[0] ?? "")?.[1] ?? "";
});
afterAll(() => f.stop());

describe("CATENATE", () => {
  test("errors: malformed parts are BAD", async () => {
    expect((await c.transact("e1 APPEND Target CATENATE ()")).tagged).toBe(
      "e1 BAD APPEND: CATENATE needs at least one part",
    );
    expect((await c.transact('e2 APPEND Target CATENATE (FOO "x")')).tagged).toBe(
      "e2 BAD APPEND: CATENATE parts are TEXT or URL",
    );
    expect((await c.transact('e3 APPEND Target CATENATE (TEXT "quoted")')).tagged).toBe(
      "e3 BAD APPEND: CATENATE TEXT must be a literal",
    );
    expect((await c.transact("e4 APPEND Target CATENATE (URL)")).tagged).toBe(
      "e4 BAD APPEND: CATENATE URL needs a URL",
    );
  });

  test("errors: a missing target is TRYCREATE before any URL is looked at", async () => {
    const r = await c.transact(
      `t1 APPEND Nope CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=1" ${text("x\r\n")})`,
    );
    expect(r.tagged).toBe('t1 NO [TRYCREATE] Mailbox "Nope" does not exist');
  });

  test("errors: URLs that do not resolve in this account are BADURL; nothing is stored", async () => {
    const cases: [string, string][] = [
      [`/INBOX;UIDVALIDITY=12345/;UID=1/;SECTION=HEADER`, "Invalid UIDVALIDITY"],
      ["/INBOX/;UID=4", "Message not found"],
      ["/Nope/;UID=1", "Mailbox doesn't exist: Nope"],
      ["imap://someone@other.example/INBOX/;UID=1", "Invalid IMAP URL: a relative URL is required"],
      ["/INBOX/;UID=1/;PARTIAL=0.0", "Invalid IMAP URL: bad PARTIAL"],
      [";UID=1", "Invalid IMAP URL: a relative URL needs a base mailbox"],
    ];
    for (const [i, [url, why]] of cases.entries()) {
      const r = await c.transact(`u${i} APPEND Target CATENATE (${text("hdr: 1\r\n\r\n")} URL "${url}")`);
      expect(r.tagged).toBe(`u${i} NO [BADURL ${url}] ${why}`);
    }
    expect(await c.ok("s2 STATUS Target (MESSAGES)")).toEqual(['* STATUS "Target" (MESSAGES 0)']);
  });

  test("errors: a result over APPENDLIMIT is TOOBIG, though each literal is under it", async () => {
    const r = await c.transact(`g1 APPEND Target CATENATE (URL "/INBOX/;UID=3" ${text("y".repeat(60_000))})`);
    expect(r.tagged).toBe("g1 NO [TOOBIG] The message would be over APPENDLIMIT (100000)");
  });

  test("TEXT and URL parts (header, text, a part, a partial) make the message", async () => {
    const r = await c.transact(
      `a1 APPEND Target (\\Seen) CATENATE (URL "/INBOX;UIDVALIDITY=${uidValidity}/;UID=1/;SECTION=HEADER" ${text("body1\r\n")})`,
    );
    expect(r.tagged).toMatch(/^a1 OK \[APPENDUID \d+ 1\] APPEND completed$/);
    await c.ok(
      `a2 APPEND Target CATENATE (${text("From: new@example.com\r\n\r\n")} URL "/INBOX/;UID=2/;SECTION=2" URL "/INBOX/;UID=1/;SECTION=TEXT/;PARTIAL=6.5")`,
    );
    await c.ok('a3 APPEND Target CATENATE (URL "/INBOX/;UID=1")');
    await c.ok("a4 SELECT Target");
    expect(await body(1)).toBe("From: foo@example.com\r\nSubject: first\r\n\r\nbody1\r\n");
    expect(await body(2)).toBe("From: new@example.com\r\n\r\npart twoworld");
    expect(await body(3)).toBe(FIRST);
    expect(await c.ok("f1 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS (\\Seen \\Recent))"]);
  });

  test("a relative URL resolves against the selected mailbox", async () => {
    await c.ok("r1 SELECT INBOX");
    const r = await c.transact(`r2 APPEND Target CATENATE (URL ";UID=2/;SECTION=1" ${text("\r\n")})`);
    expect(r.tagged).toMatch(/^r2 OK \[APPENDUID \d+ 4\] APPEND completed$/);
    await c.ok("r3 SELECT Target");
    expect(await body(4)).toBe("part one\r\n");
  });

  test("a TEXT part may be a literal8 (BINARY): a part holding NUL is stored as base64", async () => {
    const header = "From: bin@example.com\r\nContent-Type: application/octet-stream\r\n\r\n";
    const bytes = Buffer.concat([Buffer.from(header), Buffer.from([0x00, 0x01, 0xff])]);
    c.write(`n1 APPEND Target CATENATE (TEXT ~{${bytes.length}+}\r\n`);
    c.write(bytes);
    c.write(")\r\n");
    expect((await c.until("n1")).tagged).toMatch(/^n1 OK \[APPENDUID \d+ 5\] APPEND completed$/);
    await c.ok("n2 SELECT Target");
    expect(await c.ok("n3 FETCH 5 (BINARY.PEEK[1] BODY.PEEK[1])")).toEqual([
      "* 5 FETCH (BINARY[1] ~{3}\r\n\x00\x01\xff BODY[1] {4}\r\nAAH/)",
    ]);
  });

  test("with MULTIAPPEND: CATENATE and literal messages in one APPEND, all or none", async () => {
    await c.ok("m0 UNSELECT");
    const bad = await c.transact(
      `m1 APPEND Target CATENATE (URL "/INBOX/;UID=1") CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=1")`,
    );
    expect(bad.tagged).toBe("m1 NO [BADURL /INBOX;UIDVALIDITY=1/;UID=1] Invalid UIDVALIDITY");
    expect(await c.ok("m2 STATUS Target (MESSAGES)")).toEqual(['* STATUS "Target" (MESSAGES 5)']);
    const literal = "New: Message\r\n\r\nbody5\r\n";
    const r = await c.transact(
      `m3 APPEND Target CATENATE (URL "/INBOX/;UID=1/;SECTION=HEADER" ${text("two\r\n")}) (\\Answered) {${literal.length}+}\r\n${literal}`,
    );
    expect(r.tagged).toMatch(/^m3 OK \[APPENDUID \d+ 6:7\] APPEND completed$/);
    await c.ok("m4 SELECT Target");
    expect(await body(6)).toBe("From: foo@example.com\r\nSubject: first\r\n\r\ntwo\r\n");
    expect(await body(7)).toBe(literal);
  });
});
