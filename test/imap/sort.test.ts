import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
let email: string;
let grantId: string;

const day = (d: number) => Date.UTC(2024, 0, d, 12) / 1000;

/** A message with exactly these header lines, a body of `size` bytes and an internal date. */
async function put(headers: string[], size: number, arrival: number): Promise<void> {
  const raw = `${headers.join("\r\n")}\r\n\r\n${"x".repeat(size)}\r\n`;
  await f.t.server.mailboxes.ask(grantId, "append", {
    folderId: "inbox",
    raw: Buffer.from(raw),
    internalDate: arrival,
  });
}

beforeAll(async () => {
  f = await imapFixture();
  ({ email, grantId } = await f.account());
  // Expunged below, so that UIDs (2..5) differ from message numbers (1..4).
  await put(["Subject: gone"], 1, day(1));
  await put(
    [
      "From: Carol <carol@c.example>",
      "To: zed@z.example",
      "Cc: bob@b.example",
      "Subject: Re: beta",
      "Date: Wed, 03 Jan 2024 10:00:00 +0000",
    ],
    400,
    day(10),
  );
  await put(
    [
      "From: alice@a.example",
      "To: Aaron <yann@y.example>",
      "Subject: alpha",
      "Date: Mon, 01 Jan 2024 10:00:00 +0000",
    ],
    10,
    day(9),
  );
  // No Date header: its sent date is its internal date (2 Jan, 12:00).
  await put(
    [
      "From: Zoe <bob@b.example>",
      "To: Xavier <amy@x.example>",
      "Cc: alice@a.example",
      "Subject: [list] Beta (fwd)",
    ],
    200,
    day(2),
  );
  await put(
    ["From: carol@c.example", "To: zed@z.example", "Subject: gamma", "Date: Wed, 03 Jan 2024 10:00:00 +0000"],
    100,
    day(1),
  );
  c = await f.client(email);
  await c.ok("s SELECT INBOX");
  await c.ok("d STORE 1 +FLAGS.SILENT (\\Deleted)");
  await c.ok("x EXPUNGE");
});
afterAll(() => f.stop());

const sort = async (args: string) => (await c.ok(`t SORT ${args}`))[0];

describe("SORT", () => {
  test("errors: state, criteria, charset, search keys, return options", async () => {
    const other = await f.client(email);
    expect((await other.transact("e0 SORT (DATE) UTF-8 ALL")).tagged).toBe(
      "e0 BAD SORT is not valid in this state: select a mailbox first",
    );
    expect((await c.transact("e1 SORT () UTF-8 ALL")).tagged).toBe(
      "e1 BAD SORT: the sort criteria must not be empty",
    );
    expect((await c.transact("e2 SORT (DATE REVERSE) UTF-8 ALL")).tagged).toBe(
      "e2 BAD SORT: the sort criteria end with REVERSE",
    );
    expect((await c.transact("e3 SORT (COLOR) UTF-8 ALL")).tagged).toBe(
      "e3 BAD SORT: unknown sort criterion COLOR",
    );
    expect((await c.transact("e4 SORT DATE UTF-8 ALL")).tagged).toBe(
      "e4 BAD SORT: sort criteria must be a parenthesized list",
    );
    expect((await c.transact("e5 SORT (DATE) KOI8-R ALL")).tagged).toBe(
      "e5 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R",
    );
    expect((await c.transact("e6 SORT (DATE) UTF-8")).tagged).toBe(
      "e6 BAD SORT: SEARCH needs at least one key",
    );
    expect((await c.transact("e7 SORT (DATE)")).tagged).toBe("e7 BAD SORT: missing charset");
    expect((await c.transact("e8 SORT RETURN (PARTIAL 1:*) (DATE) UTF-8 ALL")).tagged).toBe(
      "e8 BAD SORT: PARTIAL needs a range lo:hi of positions",
    );
    expect((await c.transact("e9 SORT RETURN (PARTIAL 1:2 ALL) (DATE) UTF-8 ALL")).tagged).toBe(
      "e9 BAD SORT: PARTIAL conflicts with ALL",
    );
    expect((await c.transact("e10 SORT RETURN (SAVE) (DATE) UTF-8 ALL")).tagged).toBe(
      "e10 BAD SORT: unsupported SEARCH return option SAVE",
    );
    expect((await c.transact("e11 UID SORT (DATE) UTF-8 FOO")).tagged).toBe(
      "e11 BAD SORT: unknown search key FOO",
    );
  });

  test("each criterion; equal messages stay in mailbox order, REVERSE or not", async () => {
    expect(await sort("(ARRIVAL) UTF-8 ALL")).toBe("* SORT 4 3 2 1");
    expect(await sort("(DATE) UTF-8 ALL")).toBe("* SORT 2 3 1 4");
    expect(await sort("(REVERSE DATE) UTF-8 ALL")).toBe("* SORT 1 4 3 2");
    expect(await sort("(SIZE) US-ASCII ALL")).toBe("* SORT 2 4 3 1");
    expect(await sort("(REVERSE SIZE) UTF-8 ALL")).toBe("* SORT 1 3 4 2");
    expect(await sort("(SUBJECT) UTF-8 ALL")).toBe("* SORT 2 1 3 4");
    expect(await sort("(SUBJECT DATE) UTF-8 ALL")).toBe("* SORT 2 3 1 4");
    expect(await sort("(FROM) UTF-8 ALL")).toBe("* SORT 2 3 1 4");
    expect(await sort("(TO) UTF-8 ALL")).toBe("* SORT 3 2 1 4");
    expect(await sort("(CC) UTF-8 ALL")).toBe("* SORT 2 4 3 1");
    expect(await sort("(DISPLAYFROM) UTF-8 ALL")).toBe("* SORT 2 1 4 3");
    expect(await sort("(DISPLAYTO) UTF-8 ALL")).toBe("* SORT 2 3 1 4");
    expect(await sort("(reverse subject reverse date) utf-8 all")).toBe("* SORT 4 1 3 2");
  });

  test("search criteria select; UID SORT answers UIDs", async () => {
    expect(await sort("(DATE) UTF-8 FROM carol")).toBe("* SORT 1 4");
    expect(await sort("(DATE) UTF-8 OR SUBJECT alpha 4")).toBe("* SORT 2 4");
    expect(await sort("(DATE) UTF-8 SUBJECT nothing")).toBe("* SORT");
    expect((await c.ok("u UID SORT (ARRIVAL) UTF-8 ALL"))[0]).toBe("* SORT 5 4 3 2");
    expect((await c.ok("u UID SORT (DATE) UTF-8 UID 2:3")).at(0)).toBe("* SORT 3 2");
  });

  test("ESORT: RETURN MIN, MAX, COUNT, ALL in sort order; PARTIAL (CONTEXT=SORT)", async () => {
    expect(await sort("RETURN (MIN MAX COUNT) (DATE) UTF-8 ALL")).toBe(
      '* ESEARCH (TAG "t") MIN 2 MAX 4 COUNT 4',
    );
    expect(await sort("RETURN () (REVERSE DATE) UTF-8 ALL")).toBe('* ESEARCH (TAG "t") ALL 1,4,3,2');
    expect(await sort("RETURN (ALL) (ARRIVAL) UTF-8 ALL")).toBe('* ESEARCH (TAG "t") ALL 4,3,2,1');
    expect(await sort("RETURN (ALL) (SIZE) UTF-8 2:4")).toBe('* ESEARCH (TAG "t") ALL 2,4,3');
    expect(await sort("RETURN (PARTIAL 2:3) (DATE) UTF-8 ALL")).toBe('* ESEARCH (TAG "t") PARTIAL (2:3 3,1)');
    expect(await sort("RETURN (PARTIAL 3:2) (DATE) UTF-8 ALL")).toBe('* ESEARCH (TAG "t") PARTIAL (2:3 3,1)');
    expect(await sort("RETURN (PARTIAL 5:9 COUNT) (DATE) UTF-8 ALL")).toBe(
      '* ESEARCH (TAG "t") PARTIAL (5:9 NIL) COUNT 4',
    );
    expect((await c.ok("u UID SORT RETURN (MIN MAX) (ARRIVAL) UTF-8 ALL"))[0]).toBe(
      '* ESEARCH (TAG "u") UID MIN 5 MAX 2',
    );
    expect(await sort("RETURN (MIN COUNT) (DATE) UTF-8 SUBJECT nothing")).toBe('* ESEARCH (TAG "t") COUNT 0');
  });

  test("CONDSTORE: a MODSEQ search reports the highest MODSEQ", async () => {
    const [, line] = await c.ok("m SORT (DATE) UTF-8 MODSEQ 1");
    expect(line).toMatch(/^\* SORT 2 3 1 4 \(MODSEQ \d+\)$/);
  });

  test("a message another session adds is sorted only once this session was told of it", async () => {
    const other = await f.client(email);
    await other.ok("o SELECT INBOX");
    await other.ok(
      `a APPEND INBOX " 1-Jan-2024 00:00:00 +0000" {${Buffer.byteLength(message({ subject: "aardvark" }))}+}\r\n${message({ subject: "aardvark" })}`,
    );
    // The SORT runs on the view the client has; the EXISTS follows it.
    const r = await c.transact("n1 SORT (ARRIVAL) UTF-8 ALL");
    expect(r.untagged.slice(0, 2)).toEqual(["* SORT 4 3 2 1", "* 5 EXISTS"]);
    expect(r.untagged.slice(2)).toEqual([expect.stringMatching(/^\* \d RECENT$/)]);
    expect(r.tagged).toBe("n1 OK SORT completed");
    expect(await c.ok("n2 SORT (ARRIVAL) UTF-8 ALL")).toEqual(["* SORT 5 4 3 2 1"]);
    expect(await c.ok("n3 SORT (SUBJECT) UTF-8 ALL")).toEqual(["* SORT 5 2 1 3 4"]);
    // The other session sees the same order with its own numbers.
    expect(await other.ok("o2 SORT (SUBJECT) UTF-8 ALL")).toEqual(["* SORT 5 2 1 3 4"]);
  });
});
