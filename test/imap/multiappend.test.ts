/**
 * MULTIAPPEND (RFC 3502): several messages in one APPEND, stored in one actor unit (all or none),
 * APPENDUID with the UIDs in order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_STORAGE_QUOTA_BYTES: "20000" });
});
afterAll(() => f.stop());

/** ` {n+}\r\n<bytes>` for each message (LITERAL+), each after its own prefix (flags, date). */
function messages(...items: [prefix: string, raw: string][]): string {
  return items.map(([prefix, raw]) => `${prefix}{${Buffer.byteLength(raw)}+}\r\n${raw}`).join(" ");
}

async function count(c: ImapClient, mailbox: string): Promise<string> {
  return (await c.ok(`st STATUS ${mailbox} (MESSAGES)`))[0] ?? "";
}

describe("MULTIAPPEND", () => {
  test("errors: a bad second message is BAD, a missing mailbox TRYCREATE, an empty one CANNOT; nothing is stored", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const one = message({ subject: "one" });
    expect((await c.transact(`a1 APPEND INBOX ${messages(["", one])} (\\Seen) notaliteral`)).tagged).toBe(
      "a1 BAD APPEND: the message must be a literal",
    );
    expect((await c.transact(`a2 APPEND INBOX ${messages(["", one], ["(\\Bogus) ", one])}`)).tagged).toBe(
      "a2 BAD APPEND: unknown system flag \\Bogus",
    );
    expect((await c.transact(`a3 APPEND Nope ${messages(["", one], ["", one])}`)).tagged).toBe(
      'a3 NO [TRYCREATE] Mailbox "Nope" does not exist',
    );
    expect((await c.transact(`a4 APPEND INBOX ${messages(["", one], ["", ""])}`)).tagged).toBe(
      "a4 NO [CANNOT] An empty message cannot be appended",
    );
    expect(await count(c, "INBOX")).toBe('* STATUS "INBOX" (MESSAGES 0)');
  });

  test("all or none: the second message over quota (each fits alone) leaves the first unstored too", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const small = message({ subject: "fits" });
    const big = message({ subject: "too big", body: "x".repeat(19_700) });
    const r = await c.transact(`q1 APPEND INBOX ${messages(["", small], ["", big])}`);
    expect(r.tagged).toStartWith("q1 NO [OVERQUOTA] ");
    expect(await count(c, "INBOX")).toBe('* STATUS "INBOX" (MESSAGES 0)');
    // The smaller one alone fits.
    const ok = await c.transact(`q2 APPEND INBOX ${messages(["", small])}`);
    expect(ok.tagged).toMatch(/^q2 OK \[APPENDUID \d+ \d+\] APPEND completed$/);
    expect(await count(c, "INBOX")).toBe('* STATUS "INBOX" (MESSAGES 1)');
  });

  test("three messages, each with its flags and date: APPENDUID names their UIDs, EXISTS follows", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("s1 SELECT INBOX");
    const r = await c.transact(
      `m1 APPEND INBOX ${messages(
        ["(\\Seen) ", message({ subject: "mail1" })],
        ['(\\Flagged $Work) "24-Mar-2007 23:00:00 +0200" ', message({ subject: "mail2" })],
        ["", message({ subject: "mail3" })],
      )}`,
    );
    const uidValidity = /APPENDUID (\d+) /.exec(r.tagged)?.[1];
    expect(r.tagged).toBe(`m1 OK [APPENDUID ${uidValidity} 1:3] APPEND completed`);
    expect(r.untagged).toContain("* 3 EXISTS");
    const fetched = await c.ok("f1 FETCH 1:3 (UID FLAGS INTERNALDATE)");
    expect(fetched.filter((l) => l.includes("FETCH"))).toEqual([
      expect.stringMatching(/^\* 1 FETCH \(UID 1 FLAGS \(\\Seen \\Recent\) INTERNALDATE "[^"]+"\)$/),
      '* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent $Work) INTERNALDATE "24-Mar-2007 21:00:00 +0000")',
      expect.stringMatching(/^\* 3 FETCH \(UID 3 FLAGS \(\\Recent\) INTERNALDATE "[^"]+"\)$/),
    ]);
    expect(await c.ok("f2 FETCH 1:3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).toEqual(
      [1, 2, 3].map((n) => `* ${n} FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: mail${n}\r\n\r\n)`),
    );
  });

  test("into Sent: a Message-ID already there is named, not stored again", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const sent = message({ subject: "sent", messageId: "<dup@example.com>" });
    const r = await c.transact(
      `d1 APPEND Sent ${messages(["", sent], ["", message({ subject: "other" })], ["", sent])}`,
    );
    expect(r.tagged).toMatch(/^d1 OK \[APPENDUID \d+ 1:2,1\] APPEND completed$/);
    expect(await count(c, "Sent")).toBe('* STATUS "Sent" (MESSAGES 2)');
  });
});
