/**
 * agentbox answers FETCH as Dovecot does where the RFC leaves room (clients were tuned against
 * Dovecot): the same corpus of unusual messages (corpus.ts) is appended to both, and every item
 * below is fetched from both and compared byte for byte, error answers included. Dovecot is
 * Debian's dovecot-imapd (`npm test` installs it), started here as a throwaway instance.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapClient, type ImapFixture, imapAppend, imapFixture } from "../imap/harness.ts";
import { CORPUS } from "./corpus.ts";
import { type DovecotInstance, dovecotInstalled, startDovecot } from "./dovecot.ts";

const ITEMS = [
  "BODY.PEEK[]",
  "BODY.PEEK[HEADER]",
  "BODY.PEEK[TEXT]",
  "BODY.PEEK[1]",
  "BODY.PEEK[1.MIME]",
  "BODY.PEEK[1.HEADER]",
  "BODY.PEEK[1.TEXT]",
  "BODY.PEEK[2]",
  "BODY.PEEK[2.MIME]",
  "BODY.PEEK[2.HEADER]",
  "BODY.PEEK[2.TEXT]",
  "BODY.PEEK[2.1]",
  "BODY.PEEK[2.2]",
  "BODY.PEEK[3]",
  "BODY.PEEK[1.1]",
  "BODY.PEEK[1.1.1.1]",
  "BODY.PEEK[2.1.1]",
  "BODY.PEEK[9]",
  "BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT X-REPEAT)]",
  "BODY.PEEK[HEADER.FIELDS.NOT (RECEIVED X-REPEAT)]",
  "BODY.PEEK[2.HEADER.FIELDS (SUBJECT)]",
  "BODY.PEEK[]<0.20>",
  "BODY.PEEK[TEXT]<4.10>",
  "BODY.PEEK[1]<100.10>",
  "BODYSTRUCTURE",
  "BODY",
  "ENVELOPE",
  "RFC822.SIZE",
  "RFC822.HEADER",
  "RFC822.TEXT",
  "BINARY.PEEK[]",
  "BINARY.PEEK[TEXT]",
  "BINARY.PEEK[1]",
  "BINARY.PEEK[2]",
  "BINARY.PEEK[2.1]",
  "BINARY.PEEK[3]",
  "BINARY.PEEK[2.HEADER]",
  "BINARY.PEEK[1]<2.5>",
  "BINARY.SIZE[]",
  "BINARY.SIZE[1]",
  "BINARY.SIZE[2]",
  "BINARY.SIZE[3]",
];

/**
 * Where agentbox answers differently on purpose or has not caught up, by message: the items that
 * differ. The test fails if any other item differs, or if one of these comes to agree (then it
 * leaves this list).
 * - Bare LF line ends: agentbox serves the stored bytes exactly; Dovecot serves CRLF (and
 *   counts sizes so).
 * - ENVELOPE strings: Dovecot sends a string holding a tab or a `"` as a literal (the tab of a
 *   folded Subject as a space) and keeps a Message-ID's trailing blanks; agentbox quotes.
 * - BINARY.SIZE of a section holding a decoded part with its header: Dovecot's size is a few
 *   bytes short of the BINARY content it sends (the same content as agentbox's); agentbox gives
 *   the length it sends. And Dovecot refuses BINARY.SIZE of any part of a message holding a
 *   part it cannot decode (NO [UNKNOWN-CTE]) though it sends that part's BINARY; agentbox
 *   refuses only the sections that hold such a part.
 * - BODYSTRUCTURE type, subtype, parameter names and encoding: Dovecot keeps a part's own case
 *   ("TEXT" "PLAIN" ("CHARSET" …)); agentbox lower-cases them.
 */
const KNOWN_DIFFERENCES: Record<string, string[]> = {
  "folded and odd header lines": ["ENVELOPE"],
  "deep nesting": ["BINARY.SIZE[1]"],
  "encoded parts, one in an attached message": ["BODYSTRUCTURE", "BODY", "BINARY.SIZE[2]"],
  "a transfer encoding nobody decodes": ["BINARY.SIZE[2]"],
  "odd charsets and encoded words": ["BODYSTRUCTURE", "BODY"],
  "addresses: groups, routes, no domain": ["ENVELOPE"],
  "bare LF line ends": [
    "BODY.PEEK[]",
    "BODY.PEEK[HEADER]",
    "BODY.PEEK[TEXT]",
    "BODY.PEEK[1]",
    "BODY.PEEK[1.MIME]",
    "BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT X-REPEAT)]",
    "BODY.PEEK[HEADER.FIELDS.NOT (RECEIVED X-REPEAT)]",
    "BODY.PEEK[]<0.20>",
    "BODY.PEEK[TEXT]<4.10>",
    "BODYSTRUCTURE",
    "BODY",
    "RFC822.SIZE",
    "RFC822.HEADER",
    "RFC822.TEXT",
    "BINARY.PEEK[]",
    "BINARY.PEEK[TEXT]",
    "BINARY.PEEK[1]",
    "BINARY.SIZE[]",
    "BINARY.SIZE[1]",
  ],
};

const names = Object.keys(CORPUS);
let f: ImapFixture;
let dovecot: DovecotInstance;
let ours: ImapClient;
let theirs: ImapClient;

beforeAll(async () => {
  if (!dovecotInstalled())
    throw new Error("Dovecot is not installed: run `npm test` (its pretest installs it)");
  [f, dovecot] = await Promise.all([imapFixture(), startDovecot()]);
  const { email } = await f.account();
  ours = await f.client(email);
  theirs = await ImapClient.connectPlain(dovecot.port);
  await theirs.login("reference", "pass");
  for (const [i, name] of names.entries()) {
    const raw = CORPUS[name] as string;
    expect(await imapAppend(ours, `o${i}`, "INBOX", raw)).toMatch(/ OK /);
    expect(await imapAppend(theirs, `d${i}`, "INBOX", raw)).toMatch(/ OK /);
  }
  await ours.ok("s SELECT INBOX");
  await theirs.ok("s SELECT INBOX");
}, 30_000);

afterAll(async () => {
  await dovecot?.stop();
  await f?.stop();
});

/** The answer to one FETCH item, as comparable text: the untagged FETCH and the completion's status. */
async function answer(c: ImapClient, seq: number, item: string): Promise<string> {
  const r = await c.transact(`f FETCH ${seq} (${item})`);
  const status = /^f (\w+)/.exec(r.tagged)?.[1] ?? r.tagged;
  const fetches = r.untagged.filter((l) => / FETCH \(/.test(l)).map((l) => l.replace(/^\* \d+ FETCH /, ""));
  return status === "OK" ? fetches.join("\n") : status;
}

describe("FETCH answers as Dovecot gives them, on a corpus of unusual messages", () => {
  for (const [i, name] of names.entries()) {
    test(name, async () => {
      const known = new Set(KNOWN_DIFFERENCES[name] ?? []);
      const differences: string[] = [];
      const differing: string[] = [];
      for (const item of ITEMS) {
        const [a, b] = [await answer(ours, i + 1, item), await answer(theirs, i + 1, item)];
        if (a === b) continue;
        differing.push(item);
        if (!known.has(item)) {
          differences.push(`${item}\n  agentbox: ${JSON.stringify(a)}\n  dovecot:  ${JSON.stringify(b)}`);
        }
      }
      expect(differences.join("\n")).toBe("");
      expect(differing).toEqual([...known]);
    });
  }
});
