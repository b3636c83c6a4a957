import { describe, expect, test } from "bun:test";
import { flagList, internalDate, mailboxOut, respText } from "../../protocols/imap/encode.ts";
import { SelectedMailbox } from "../../protocols/imap/selected.ts";
import { NO_FLAGS } from "../../src/domain/flags.ts";

describe("response encoding", () => {
  test("flags in a fixed order, keywords last, \\Recent when asked", () => {
    expect(flagList(NO_FLAGS)).toBe("()");
    expect(
      flagList(
        {
          seen: true,
          answered: true,
          flagged: true,
          deleted: true,
          draft: true,
          keywords: ["$Junk", "work"],
        },
        true,
      ),
    ).toBe("(\\Seen \\Answered \\Flagged \\Deleted \\Draft \\Recent $Junk work)");
  });

  test("INTERNALDATE pads the day with a space", () => {
    expect(internalDate(Date.UTC(2025, 0, 5, 3, 4, 5) / 1000)).toBe(
      '"5-Jan-2025 03:04:05 +0000"'.replace('"5', '" 5'),
    );
    expect(internalDate(Date.UTC(2025, 11, 25, 23, 59, 59) / 1000)).toBe('"25-Dec-2025 23:59:59 +0000"');
  });

  test("mailbox names go out quoted, in modified UTF-7", () => {
    expect(mailboxOut("INBOX")).toBe('"INBOX"');
    expect(mailboxOut('a"b')).toBe('"a\\"b"');
    expect(mailboxOut("Entwürfe")).toBe('"Entw&APw-rfe"');
  });

  test("response text is one printable line", () => {
    expect(respText("a\r\nb\u00e9")).toBe("a b?");
  });
});

describe("unsolicited responses keep sequence numbers right", () => {
  const view = (uids: number[], readOnly = false) =>
    new SelectedMailbox("inbox", readOnly, 1, uids, new Set(), () => true);
  const opts = { allowExpunge: true, qresync: false, condstore: false };

  test("EXPUNGE numbers shift as each message goes", () => {
    const s = view([1, 2, 3, 4]);
    s.accept({ type: "message.deleted", folderId: "inbox", messageId: "x", uid: 2, modseq: 5 });
    s.accept({ type: "message.deleted", folderId: "inbox", messageId: "y", uid: 3, modseq: 6 });
    expect(s.flush(opts)).toEqual(["* 2 EXPUNGE", "* 2 EXPUNGE"]);
    expect(s.uids).toEqual([1, 4]);
  });

  test("EXISTS for new mail, once; a UID already in the view is not added twice", () => {
    const s = view([1, 2]);
    s.accept({ type: "message.created", folderId: "inbox", messageId: "a", uid: 2, modseq: 3 });
    s.accept({ type: "message.created", folderId: "inbox", messageId: "b", uid: 3, modseq: 4 });
    s.accept({ type: "message.created", folderId: "inbox", messageId: "c", uid: 4, modseq: 5 });
    s.accept({ type: "message.created", folderId: "sent", messageId: "d", uid: 9, modseq: 6 });
    expect(s.flush(opts)).toEqual(["* 4 EXISTS", "* 2 RECENT"]);
  });

  test("expunges are held after FETCH/STORE/SEARCH, other changes are not", () => {
    const s = view([1, 2, 3]);
    s.accept({ type: "message.deleted", folderId: "inbox", messageId: "x", uid: 1, modseq: 5 });
    s.accept({
      type: "message.updated",
      folderId: "inbox",
      messageId: "y",
      uid: 3,
      modseq: 6,
      flags: { ...NO_FLAGS, seen: true },
    });
    expect(s.flush({ ...opts, allowExpunge: false })).toEqual(["* 3 FETCH (UID 3 FLAGS (\\Seen))"]);
    expect(s.flush(opts)).toEqual(["* 1 EXPUNGE"]);
  });

  test("a message changed several times is told its latest flags once: its MODSEQ never goes back", () => {
    const s = view([1, 2]);
    const updated = (uid: number, modseq: number, seen: boolean) =>
      s.accept({
        type: "message.updated",
        folderId: "inbox",
        messageId: `m${uid}`,
        uid,
        modseq,
        flags: { ...NO_FLAGS, seen },
      });
    updated(2, 986, true);
    updated(1, 987, true);
    updated(2, 990, false);
    expect(s.flush({ ...opts, condstore: true })).toEqual([
      "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (987))",
      "* 2 FETCH (UID 2 FLAGS () MODSEQ (990))",
    ]);
  });

  test("QRESYNC tells VANISHED; CONDSTORE adds MODSEQ; own changes are not echoed", () => {
    const s = view([1, 2, 3]);
    s.accept({
      type: "message.moved",
      messageId: "x",
      fromFolderId: "inbox",
      fromUid: 1,
      folderId: "trash",
      uid: 9,
      modseq: 7,
    });
    s.accept({ type: "message.deleted", folderId: "inbox", messageId: "y", uid: 2, modseq: 8 });
    s.accept({
      type: "message.updated",
      folderId: "inbox",
      messageId: "z",
      uid: 3,
      modseq: 9,
      flags: NO_FLAGS,
    });
    s.accept({
      type: "message.updated",
      folderId: "inbox",
      messageId: "z",
      uid: 3,
      modseq: 10,
      flags: NO_FLAGS,
    });
    s.markReported(3, 10);
    s.accept({
      type: "message.updated",
      folderId: "inbox",
      messageId: "z",
      uid: 3,
      modseq: 11,
      flags: NO_FLAGS,
    });
    expect(s.flush({ allowExpunge: true, qresync: true, condstore: true })).toEqual([
      "* VANISHED 1:2",
      "* 1 FETCH (UID 3 FLAGS () MODSEQ (11))",
    ]);
  });
});
