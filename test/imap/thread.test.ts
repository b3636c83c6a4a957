import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapClient, type ImapFixture, imapAppend, imapFixture } from "./harness.ts";

let f: ImapFixture;
let c: ImapClient;
let email: string;
let grantId: string;

const headers = (id: string | null, subject: string, day: number, links: string[] = []) =>
  [
    ...(id ? [`Message-ID: ${id}`] : []),
    `Subject: ${subject}`,
    `Date: ${String(day).padStart(2, "0")} Jan 2024 10:00:00 +0000`,
    ...links,
    "",
    "body",
    "",
  ].join("\r\n");

beforeAll(async () => {
  f = await imapFixture();
  ({ email, grantId } = await f.account());
  const put = (raw: string) =>
    f.t.server.mailboxes.ask(grantId, "append", { folderId: "inbox", raw: Buffer.from(raw) });
  // Expunged below, so that UIDs (2..10) differ from message numbers (1..9).
  await put(headers("<gone@x>", "gone", 1));
  await put(headers("<1@x>", "meeting", 1));
  await put(headers("<2@x>", "Re: meeting", 2, ["References: <1@x>"]));
  await put(headers("<3@x>", "Re: meeting", 4, ["References: <1@x> <2@x>"]));
  await put(headers("<4@x>", "Re: meeting", 3, ["In-Reply-To: <1@x>"]));
  // Its parent is not here: a dummy, pruned; then gathered under the non-reply of its subject.
  await put(headers("<5@x>", "Re: lunch", 5, ["References: <missing@x>"]));
  await put(headers("<6@x>", "lunch", 6));
  // No Message-ID, one absent parent: a dummy at the top with two children.
  await put(headers(null, "x1", 7, ["References: <absent@x>"]));
  await put(headers(null, "x2", 8, ["References: <absent@x>"]));
  // The same Message-ID as message 1: a message of its own.
  await put(headers("<1@x>", "other topic", 9));
  c = await f.client(email);
  await c.ok("s SELECT INBOX");
  await c.ok("d STORE 1 +FLAGS.SILENT (\\Deleted)");
  await c.ok("x EXPUNGE");
});
afterAll(() => f.stop());

const thread = async (args: string) => (await c.ok(`t THREAD ${args}`))[0];

describe("THREAD", () => {
  test("errors: state, algorithm, charset, search keys", async () => {
    const other = await f.client(email);
    expect((await other.transact("e0 THREAD REFERENCES UTF-8 ALL")).tagged).toBe(
      "e0 BAD THREAD is not valid in this state: select a mailbox first",
    );
    expect((await c.transact("e1 THREAD ZAWINSKI UTF-8 ALL")).tagged).toBe(
      "e1 BAD THREAD: unknown threading algorithm ZAWINSKI",
    );
    expect((await c.transact("e2 THREAD (REFERENCES) UTF-8 ALL")).tagged).toBe(
      "e2 BAD THREAD: threading algorithm must be an atom",
    );
    expect((await c.transact("e3 THREAD REFERENCES")).tagged).toBe("e3 BAD THREAD: missing charset");
    expect((await c.transact("e4 THREAD REFERENCES KOI8-R ALL")).tagged).toBe(
      "e4 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R",
    );
    expect((await c.transact("e5 THREAD REFERENCES UTF-8")).tagged).toBe(
      "e5 BAD THREAD: SEARCH needs at least one key",
    );
    expect((await c.transact("e6 UID THREAD ORDEREDSUBJECT UTF-8 BAR")).tagged).toBe(
      "e6 BAD THREAD: unknown search key BAR",
    );
  });

  test("REFERENCES: links, dummies, subject gathering, duplicates, date order", async () => {
    expect(await thread("REFERENCES UTF-8 ALL")).toBe("* THREAD (1 (2 3)(4))(6 5)((7)(8))(9)");
    expect((await c.ok("u UID THREAD REFERENCES US-ASCII ALL"))[0]).toBe(
      "* THREAD (2 (3 4)(5))(7 6)((8)(9))(10)",
    );
  });

  test("REFERENCES over what the search criteria select", async () => {
    expect(await thread("REFERENCES UTF-8 NOT SUBJECT lunch")).toBe("* THREAD (1 (2 3)(4))((7)(8))(9)");
    // Without message 1 its replies hang from a dummy, which stays: it has two children.
    expect(await thread("REFERENCES UTF-8 2:4")).toBe("* THREAD ((2 3)(4))");
    expect(await thread("REFERENCES UTF-8 3")).toBe("* THREAD (3)");
    expect(await thread("REFERENCES UTF-8 SUBJECT nothing")).toBe("* THREAD");
  });

  test("ORDEREDSUBJECT: one thread per base subject, its first message the parent of the rest", async () => {
    expect(await thread("ORDEREDSUBJECT UTF-8 ALL")).toBe("* THREAD (1 (2)(4)(3))(5 6)(7)(8)(9)");
    expect((await c.ok("u UID THREAD ORDEREDSUBJECT UTF-8 1:3"))[0]).toBe("* THREAD (2 (3)(4))");
  });

  test("a reply another session appends joins its thread once this session was told of it", async () => {
    const other = await f.client(email);
    await other.ok("o SELECT INBOX");
    expect(
      await imapAppend(other, "a", "INBOX", headers("<10@x>", "Re: other topic", 10, ["In-Reply-To: <1@x>"])),
    ).toMatch(/^a OK \[APPENDUID \d+ 11\] APPEND completed$/);
    const r = await c.transact("n1 THREAD REFERENCES UTF-8 ALL");
    expect(r.untagged.slice(0, 2)).toEqual(["* THREAD (1 (2 3)(4))(6 5)((7)(8))(9)", "* 10 EXISTS"]);
    // <1@x> is message 1's: the reply joins that thread (not message 9's, a duplicate).
    expect(await thread("REFERENCES UTF-8 ALL")).toBe("* THREAD (1 (2 3)(4)(10))(6 5)((7)(8))(9)");
    expect((await other.ok("o2 THREAD REFERENCES UTF-8 ALL"))[0]).toBe(
      "* THREAD (1 (2 3)(4)(10))(6 5)((7)(8))(9)",
    );
  });
});
