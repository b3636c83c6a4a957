/**
 * The command sequences desktop clients send (from Thunderbird, Apple Mail and Outlook session
 * logs, abridged): every command must succeed, in the exact syntax those clients use.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapFixture, imapAppend, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

async function replay(email: string, commands: string[]): Promise<Map<string, string[]>> {
  const c = await f.client(email);
  const out = new Map<string, string[]>();
  for (const [i, command] of commands.entries()) {
    const r = await c.transact(`${i + 1} ${command}`);
    expect(r.tagged, `${command}\n${r.untagged.join("\n")}`).toMatch(new RegExp(`^${i + 1} OK`));
    out.set(command, r.untagged);
  }
  c.close();
  return out;
}

const TB_HEADERS =
  "From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To";

describe("desktop client transcripts", () => {
  test("Thunderbird", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message({ subject: "for thunderbird" }));
    const out = await replay(email, [
      'ID ("name" "Thunderbird" "version" "128.5.0")',
      "capability",
      "namespace",
      "ENABLE CONDSTORE",
      'list (subscribed) "" "*" return (special-use)',
      'list "" "INBOX"',
      'lsub "" "*"',
      'STATUS "Sent" (UIDNEXT MESSAGES UNSEEN RECENT HIGHESTMODSEQ)',
      'select "INBOX" (CONDSTORE)',
      'getquotaroot "INBOX"',
      "UID fetch 1:* (FLAGS)",
      `UID fetch 1 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (${TB_HEADERS})])`,
      "UID fetch 1 (UID RFC822.SIZE BODY.PEEK[]<0.10240>)",
      "UID fetch 1 (BODYSTRUCTURE)",
      "UID fetch 1 (UID RFC822.SIZE BODY.PEEK[1.MIME] BODY.PEEK[1])",
      "uid store 1 +Flags (\\Seen)",
      "UID fetch 1:* (FLAGS) (CHANGEDSINCE 1)",
      "uid store 1 +Flags ($label1 Junk)",
      'UID COPY 1 "Archive"',
      "uid store 1 +Flags (\\Deleted)",
      "UID EXPUNGE 1",
      "noop",
      'list "" "%"',
      'create "Projects"',
      'subscribe "Projects"',
      'rename "Projects" "Projects 2025"',
      'delete "Projects 2025"',
      "close",
    ]);
    expect(
      out.get(`UID fetch 1 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (${TB_HEADERS})])`)?.[0],
    ).toContain("Subject: for thunderbird");
    const c = await f.client(email);
    expect(await imapAppend(c, "a1", "Drafts", message({ subject: "tb draft" }), "\\Draft \\Seen")).toMatch(
      /^a1 OK/,
    );
    expect(await imapAppend(c, "a2", "Sent", message({ subject: "tb sent" }), "\\Seen")).toMatch(/^a2 OK/);
  });

  test("Apple Mail", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message({ subject: "for apple" }));
    await replay(email, [
      'ID ("name" "Mac OS X Mail" "version" "16.0 (3826.300.87.2.22)" "os" "Mac OS X")',
      "CAPABILITY",
      'LIST "" ""',
      'LIST "" "*" RETURN (SPECIAL-USE)',
      'LSUB "" "*"',
      'STATUS "INBOX" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)',
      "SELECT INBOX",
      "UID SEARCH 1:* NOT DELETED",
      "UID FETCH 1:* (FLAGS UID)",
      "UID FETCH 1 (BODYSTRUCTURE BODY.PEEK[HEADER] RFC822.SIZE INTERNALDATE FLAGS)",
      "UID FETCH 1 (BODY.PEEK[1]<0.2048>)",
      "UID STORE 1 +FLAGS.SILENT (\\Seen)",
      "UID MOVE 1 Trash",
    ]);
  });

  test("Outlook", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message({ subject: "for outlook" }));
    await deliver(f, grantId, message({ subject: "second" }));
    await replay(email, [
      "CAPABILITY",
      'LIST "" "*"',
      'LSUB "" "*"',
      'SELECT "INBOX"',
      "UID FETCH 1:* (UID FLAGS)",
      "FETCH 1:2 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER])",
      "UID FETCH 2 (UID RFC822.SIZE BODY.PEEK[])",
      "UID STORE 2 +FLAGS (\\Seen \\Answered)",
      "UID STORE 1 +FLAGS (\\Deleted)",
      "EXPUNGE",
      'STATUS "Trash" (MESSAGES UNSEEN)',
      "CHECK",
    ]);
  });
});
