/** STATUS items (RFC 3501, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE, RFC 7889 APPENDLIMIT). */
import { folderCounts, folderSize } from "../../src/mailbox/imap-folders.ts";
import { countAboveUid } from "../../src/mailbox/imap-messages.ts";
import { BadArgs } from "./args.ts";
import type { CommandSession } from "./command-session.ts";
import { mailboxOut } from "./encode.ts";
import type { MailboxEntry } from "./mailbox-names.ts";
import type { Token } from "./parser.ts";

const ITEMS = new Set([
  "MESSAGES",
  "RECENT",
  "UIDNEXT",
  "UIDVALIDITY",
  "UNSEEN",
  "HIGHESTMODSEQ",
  "SIZE",
  "APPENDLIMIT",
]);

export function parseStatusItems(tokens: Token[]): string[] {
  if (tokens.length === 0) throw new BadArgs("STATUS needs at least one item");
  return tokens.map((t) => {
    const name = t.kind === "atom" ? t.value.toUpperCase() : "";
    if (!ITEMS.has(name)) throw new BadArgs("unknown STATUS item");
    return name;
  });
}

/**
 * The same STATUS line, told unasked (NOTIFY): its HIGHESTMODSEQ does not turn CONDSTORE on, as
 * the client's own STATUS command would.
 */
export function quietStatusLine(
  session: CommandSession,
  entry: MailboxEntry,
  items: string[],
): string | null {
  const condstore = session.condstore;
  const line = statusLine(session, entry, items);
  session.condstore = condstore;
  return line;
}

/** `* STATUS name (…)`, or null when the folder vanished meanwhile. */
export function statusLine(session: CommandSession, entry: MailboxEntry, items: string[]): string | null {
  const { store } = session.ctx;
  const folderId = entry.folder.id;
  const c = folderCounts(store, session.grantId, folderId);
  if (!c) return null;
  if (items.includes("HIGHESTMODSEQ")) session.condstore = true;
  const values = items.map((item) => {
    switch (item) {
      case "MESSAGES":
        return `MESSAGES ${c.messages}`;
      case "RECENT": {
        const floor = session.ctx.recent.floor(session.grantId, folderId);
        return `RECENT ${countAboveUid(store, session.grantId, folderId, floor)}`;
      }
      case "UIDNEXT":
        return `UIDNEXT ${c.uidNext}`;
      case "UIDVALIDITY":
        return `UIDVALIDITY ${c.uidValidity}`;
      case "UNSEEN":
        return `UNSEEN ${c.unseen}`;
      case "HIGHESTMODSEQ":
        return `HIGHESTMODSEQ ${c.highestModseq}`;
      case "SIZE":
        return `SIZE ${folderSize(store, session.grantId, folderId)}`;
      default:
        return `APPENDLIMIT ${session.appendLimit()}`;
    }
  });
  return `* STATUS ${mailboxOut(entry.path)} (${values.join(" ")})`;
}
