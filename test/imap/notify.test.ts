import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { NOTIFY_QUEUE_LIMIT, Notifications } from "../../protocols/imap/notify.ts";
import { api } from "../support/server.ts";
import { deliver, type ImapClient, type ImapFixture, imapAppend, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

const BADEVENT =
  "[BADEVENT (MessageNew MessageExpunge FlagChange AnnotationChange MailboxName SubscriptionChange)]";

async function uidValidity(c: ImapClient, name: string): Promise<string> {
  const untagged = await c.ok(`v STATUS ${name} (UIDVALIDITY)`);
  return /UIDVALIDITY (\d+)/.exec(untagged[0] ?? "")?.[1] ?? "";
}

async function folderId(grantId: string, name: string): Promise<string> {
  const res = await api(f.t, "GET", `/v3/grants/${grantId}/folders`);
  const folder = (res.body.data as { id: string; name: string }[]).find((x) => x.name === name);
  if (!folder) throw new Error(`no folder ${name}`);
  return folder.id;
}

describe("NOTIFY (RFC 5465)", () => {
  test("errors: syntax, unknown filter or event, SELECTED twice, events the filter cannot have", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const cases: [string, string][] = [
      ["NOTIFY", "BAD NOTIFY: NOTIFY needs SET or NONE"],
      ["NOTIFY SET", "BAD NOTIFY: NOTIFY SET needs at least one event group"],
      ["NOTIFY NONE x", "BAD NOTIFY: NOTIFY NONE takes no arguments"],
      ["NOTIFY SET (EVERYTHING (MessageNew))", "BAD NOTIFY: unknown NOTIFY filter"],
      ["NOTIFY SET (MAILBOXES)", "BAD NOTIFY: MAILBOXES needs a mailbox"],
      ["NOTIFY SET (PERSONAL)", "BAD NOTIFY: an event group is a filter and its events"],
      ["NOTIFY SET (PERSONAL MessageNew)", "BAD NOTIFY: events are NONE or a list"],
      [
        "NOTIFY SET (PERSONAL (MessageNew (UID)))",
        "BAD NOTIFY: MessageNew fetch attributes are for the selected mailbox only",
      ],
      [
        "NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED (MessageNew MessageExpunge))",
        "BAD NOTIFY: SELECTED and SELECTED-DELAYED may be given once, not both",
      ],
      ["NOTIFY SET (SELECTED (MailboxName))", "BAD NOTIFY: MailboxName is not a selected-mailbox event"],
      ["NOTIFY SET (SELECTED (FlagChange))", "BAD NOTIFY: FlagChange needs MessageNew and MessageExpunge"],
      [
        "NOTIFY SET (SELECTED (MessageNew (UID BODY[]) MessageExpunge))",
        "BAD NOTIFY: MessageNew fetch attributes may not set \\Seen (use .PEEK)",
      ],
      [
        "NOTIFY SET (SELECTED (MessageNew (NOTANITEM) MessageExpunge))",
        "BAD NOTIFY: unknown fetch attribute NOTANITEM",
      ],
      ["NOTIFY SET (PERSONAL (MessageNew Earthquake))", `NO ${BADEVENT} unknown event`],
    ];
    for (const [i, [command, answer]] of cases.entries()) {
      expect(await c.transact(`e${i} ${command}`), command).toEqual({
        untagged: [],
        tagged: `e${i} ${answer}`,
      });
    }
    const pre = await (await import("./harness.ts")).ImapClient.connect(f.port);
    expect((await pre.transact("p1 NOTIFY NONE")).tagged).toBe(
      "p1 BAD NOTIFY is not valid in this state: log in first",
    );
    pre.close();
  }, 20_000);

  test("SET STATUS: each watched mailbox's STATUS at once, items after the events; without STATUS none", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a1 CREATE Box");
    await c.ok("a2 CREATE Box/Sub");
    await deliver(f, grantId, message(), await folderId(grantId, "Box"));
    const validity = (name: string) =>
      c.ok(`s STATUS ${name} (UIDVALIDITY)`).then((u) => /UIDVALIDITY (\d+)/.exec(u[0] ?? "")?.[1]);
    const box = await validity("Box");
    const sub = await validity("Box/Sub");
    expect(await c.ok("a3 NOTIFY SET STATUS (MAILBOXES Box (MessageExpunge))")).toEqual([
      '* STATUS "Box" (MESSAGES 1)',
    ]);
    expect(await c.ok("a4 NOTIFY SET STATUS (MAILBOXES (Box) (MessageNew))")).toEqual([
      `* STATUS "Box" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY ${box})`,
    ]);
    const modseq = (name: string) =>
      c.ok(`s STATUS ${name} (HIGHESTMODSEQ)`).then((u) => /HIGHESTMODSEQ (\d+)/.exec(u[0] ?? "")?.[1]);
    const [boxModseq, subModseq] = [await modseq("Box"), await modseq("Box/Sub")];
    expect(await c.ok("a5 NOTIFY SET STATUS (SUBTREE Box (FlagChange))")).toEqual([
      `* STATUS "Box" (UIDVALIDITY ${box} HIGHESTMODSEQ ${boxModseq})`,
      `* STATUS "Box/Sub" (UIDVALIDITY ${sub} HIGHESTMODSEQ ${subModseq})`,
    ]);
    expect(await c.ok("a6 NOTIFY SET (MAILBOXES Box (MessageNew MessageExpunge FlagChange))")).toEqual([]);
    expect(await c.ok("a7 NOTIFY SET STATUS (MAILBOXES Box (MailboxName))")).toEqual([]);
    await c.ok("a8 SELECT Box");
    expect(await c.ok("a9 NOTIFY SET STATUS (SUBTREE Box (MessageExpunge))")).toEqual([
      '* STATUS "Box/Sub" (MESSAGES 0)',
    ]);
  }, 20_000);

  test("another session's APPEND, STORE and EXPUNGE in a watched mailbox: STATUS pushed with no command running", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const d = await f.client(email);
    await d.ok("b0 CREATE Watched");
    await d.ok("b1 CREATE Ignored");
    const validity = /UIDVALIDITY (\d+)/.exec((await c.ok("a0 STATUS Watched (UIDVALIDITY)"))[0] ?? "")?.[1];
    await c.ok("a1 NOTIFY SET (MAILBOXES Watched (MessageNew MessageExpunge FlagChange))");

    expect(await imapAppend(d, "b2", "Ignored", message())).toMatch(/^b2 OK/);
    expect(await imapAppend(d, "b3", "Watched", message())).toMatch(/^b3 OK/);
    const appended = await c.line();
    expect(appended).toMatch(
      new RegExp(
        `^\\* STATUS "Watched" \\(MESSAGES 1 UIDNEXT 2 UIDVALIDITY ${validity} HIGHESTMODSEQ \\d+\\)$`,
      ),
    );
    const before = Number(/HIGHESTMODSEQ (\d+)/.exec(appended)?.[1]);
    await d.ok("b4 SELECT Watched");
    await d.ok("b5 STORE 1 +FLAGS (\\Flagged)");
    expect(await c.line()).toBe(
      `* STATUS "Watched" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY ${validity} HIGHESTMODSEQ ${before + 1})`,
    );
    await d.ok("b6 STORE 1 +FLAGS (\\Deleted)");
    expect(await c.line()).toMatch(/^\* STATUS "Watched" \(MESSAGES 1 /);
    await d.ok("b7 EXPUNGE");
    expect(await c.line()).toMatch(/^\* STATUS "Watched" \(MESSAGES 0 UIDNEXT 2 /);
    expect(await c.quiet(200)).toBe(true);

    expect(await c.ok("a2 NOTIFY NONE")).toEqual([]);
    expect(await imapAppend(d, "b8", "Watched", message())).toMatch(/^b8 OK/);
    expect(await c.quiet(300)).toBe(true);
    expect(await c.ok("a3 NOOP")).toEqual([]);
  }, 20_000);

  test("a change through the REST API: STATUS for messages, LIST for a mailbox created, renamed, deleted", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a1 NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName))");
    const { id } = await deliver(f, grantId, message());
    expect(await c.line()).toMatch(/^\* STATUS "INBOX" \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$/);

    const created = await api(f.t, "POST", `/v3/grants/${grantId}/folders`, { name: "Projects" });
    expect(created.status).toBe(200);
    expect(await c.line()).toBe('* LIST (\\HasNoChildren) "/" "Projects"');
    const folder = created.body.data.id as string;
    const moved = await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${id}`, { folders: [folder] });
    expect(moved.status).toBe(200);
    const both = [await c.line(), await c.line()].sort();
    expect(both[0]).toMatch(/^\* STATUS "INBOX" \(MESSAGES 0 UIDNEXT 2 /);
    expect(both[1]).toMatch(/^\* STATUS "Projects" \(MESSAGES 1 UIDNEXT 2 /);

    expect(
      (await api(f.t, "PUT", `/v3/grants/${grantId}/folders/${folder}`, { name: "Archive2026" })).status,
    ).toBe(200);
    expect(await c.line()).toBe('* LIST (\\HasNoChildren) "/" "Archive2026" ("OLDNAME" ("Projects"))');
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${id}`);
    expect([await c.line(), await c.line()].sort()).toEqual([
      expect.stringMatching(/^\* STATUS "Archive2026" \(MESSAGES 0 /),
      expect.stringMatching(/^\* STATUS "Trash" \(MESSAGES 1 /),
    ]);
    expect((await api(f.t, "DELETE", `/v3/grants/${grantId}/folders/${folder}`)).status).toBe(200);
    expect(await c.line()).toBe('* LIST (\\NonExistent) "/" "Archive2026"');
  }, 20_000);

  test("SELECTED: the selected mailbox's changes are told as they happen; other mailboxes still by STATUS", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const d = await f.client(email);
    await c.ok("a0 CREATE Other");
    await c.ok("a1 SELECT INBOX");
    await c.ok(
      "a2 NOTIFY SET (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange)) (INBOXES (MessageNew))",
    );
    expect(await imapAppend(d, "b1", "INBOX", message({ subject: "Fresh" }))).toMatch(/^b1 OK/);
    expect(await c.line()).toBe("* 1 EXISTS");
    expect(await c.line()).toBe("* 1 RECENT");
    expect(await c.line()).toBe(
      "* 1 FETCH (UID 1 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Fresh\r\n\r\n)",
    );
    expect(await c.quiet(200)).toBe(true);
    await d.ok("b1a SELECT INBOX");
    await d.ok("b1b STORE 1 +FLAGS (\\Flagged)");
    expect(await c.line()).toBe("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))");
    await d.ok("b1c STORE 1 +FLAGS (\\Deleted)");
    await c.line();
    await d.ok("b1d EXPUNGE");
    expect(await c.line()).toBe("* 1 EXPUNGE");
    expect(await c.quiet(200)).toBe(true);
    expect(await imapAppend(d, "b2", "Other", message())).toMatch(/^b2 OK/);
    expect(await c.quiet(300)).toBe(true);
    expect(await c.ok("a3 CAPABILITY")).toEqual([expect.stringContaining(" NOTIFY ")]);
  }, 20_000);

  test("a burst of changes in one commit (a COPY of three messages) is one STATUS", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 3; i++) await deliver(f, grantId, message());
    const c = await f.client(email);
    const d = await f.client(email);
    await d.ok("b0 CREATE Copies");
    await c.ok("a1 NOTIFY SET (MAILBOXES Copies (MessageNew MessageExpunge))");
    await d.ok("b1 SELECT INBOX");
    await d.ok("b2 COPY 1:3 Copies");
    expect(await c.line()).toBe(
      `* STATUS "Copies" (MESSAGES 3 UIDNEXT 4 UIDVALIDITY ${await uidValidity(d, "Copies")})`,
    );
    expect(await c.quiet(300)).toBe(true);
  }, 20_000);

  test("SubscriptionChange: another session's SUBSCRIBE and UNSUBSCRIBE, a deleted mailbox's name too", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    const d = await f.client(email);
    await d.ok("b0 CREATE Box");
    await d.ok("b1 CREATE Gone");
    await c.ok("a1 NOTIFY SET (PERSONAL (SubscriptionChange))");
    expect(await c.quiet(200)).toBe(true);
    await d.ok("b2 SUBSCRIBE Box");
    expect(await c.line()).toBe('* LIST (\\HasNoChildren \\Subscribed) "/" "Box"');
    await d.ok("b3 UNSUBSCRIBE Box");
    expect(await c.line()).toBe('* LIST (\\HasNoChildren) "/" "Box"');
    await d.ok("b4 SUBSCRIBE Gone");
    expect(await c.line()).toBe('* LIST (\\HasNoChildren \\Subscribed) "/" "Gone"');
    await d.ok("b5 DELETE Gone");
    await d.ok("b6 UNSUBSCRIBE Gone");
    expect(await c.line()).toBe('* LIST (\\NonExistent) "/" "Gone"');
    expect(await c.quiet(200)).toBe(true);
  }, 20_000);

  test("a bounded queue: past the limit, NOTIFICATIONOVERFLOW, and nothing more is kept", () => {
    const n = new Notifications([{ filter: { kind: "PERSONAL" }, events: new Set(["MessageNew"]) }]);
    for (let i = 0; i <= NOTIFY_QUEUE_LIMIT; i++) {
      n.note({ type: "message.created", folderId: `f${i}`, messageId: `m${i}`, uid: 1, modseq: i + 1 }, null);
    }
    expect(n.overflow).toBe(true);
    expect(n.pending).toBe(true);
    n.note({ type: "message.created", folderId: "f", messageId: "m", uid: 1, modseq: 1 }, null);
    expect(n.overflow).toBe(true);
  });
});
