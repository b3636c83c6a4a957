/**
 * A message as the store writes it: the few fields the mailbox actor decides with, and every
 * other column already serialized. Building it (parse, extract, search text, JSON, hash) is
 * most of an ingest's CPU and needs no database, so it runs before the command is queued, on a
 * worker thread when there is one (prepare-pool.ts); the actor then only writes rows.
 */

import { createHash } from "node:crypto";
import type { AttachmentInfo } from "./attachments.ts";
import { calendarPart } from "./calendar-part.ts";
import { type ParsedMessage, parseMessage } from "./parse-message.ts";
import { type ImapSearchText, imapSearchText } from "./search/imap-text.ts";
import { type SearchDocument, searchDocument } from "./search/index-text.ts";
import { type SortKeys, sortKeys } from "./sort-keys.ts";

export interface PreparedMessage {
  /** SHA-256 of the raw bytes, hex: the blob's address. */
  sha256: string;
  subject: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  dateHeader: number | null;
  /** What IMAP SORT and THREAD order by. */
  sortKeys: SortKeys;
  snippet: string;
  body: string;
  attachments: AttachmentInfo[];
  /** [kind, address] pairs for the participant index: from, to, cc, bcc, reply_to. */
  participants: [string, string][];
  /** Columns stored as JSON text. */
  json: {
    from: string;
    to: string;
    cc: string;
    bcc: string;
    replyTo: string;
    references: string;
    extracted: string;
    envelope: string;
    bodyStructure: string;
    tree: string;
  };
  search: SearchDocument;
  /** IMAP SEARCH TEXT / BODY's text. */
  imapText: ImapSearchText;
  /** An invitation's iCalendar text (text/calendar part), for the account's calendar. */
  calendar: string | null;
}

export function prepareMessage(raw: Uint8Array): PreparedMessage {
  const p = parseMessage(raw);
  return {
    sha256: createHash("sha256").update(raw).digest("hex"),
    subject: p.subject,
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    dateHeader: p.dateHeader,
    sortKeys: sortKeys(p.envelope),
    snippet: p.snippet,
    body: p.body,
    attachments: p.attachments,
    participants: participantRows(p),
    json: {
      from: JSON.stringify(p.from),
      to: JSON.stringify(p.to),
      cc: JSON.stringify(p.cc),
      bcc: JSON.stringify(p.bcc),
      replyTo: JSON.stringify(p.replyTo),
      references: JSON.stringify(p.references),
      extracted: JSON.stringify(p.extracted),
      envelope: JSON.stringify(p.envelope),
      bodyStructure: JSON.stringify(p.bodyStructure),
      tree: JSON.stringify(p.tree),
    },
    calendar: calendarPart(raw, p.tree),
    search: searchDocument({
      subject: p.subject ?? "",
      from: p.from,
      to: p.to,
      cc: p.cc,
      bcc: p.bcc,
      replyTo: p.replyTo,
      bodyText: p.text,
      attachmentFilenames: p.attachments.flatMap((a) => (a.filename ? [a.filename] : [])),
    }),
    imapText: imapSearchText(raw, p.tree),
  };
}

function participantRows(p: ParsedMessage): [string, string][] {
  const rows: [string, string][] = [];
  const add = (kind: string, list: { email: string }[]) => {
    for (const x of list) rows.push([kind, x.email]);
  };
  add("from", p.from);
  add("to", p.to);
  add("cc", p.cc);
  add("bcc", p.bcc);
  add("reply_to", p.replyTo);
  return rows;
}
