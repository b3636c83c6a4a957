/**
 * Message rows as the mailbox actor writes them, and the reads it makes inside its transaction
 * (they see the batch's earlier commands). Inserting is the ingest hot path, in plain SQL.
 */
import { and, between, eq, type SQL, sql } from "drizzle-orm";
import { MailboxError } from "../../domain/errors.ts";
import type { FlagColumns, Flags } from "../../domain/flags.ts";
import type { SortKeys } from "../../mail/sort-keys.ts";
import type { Tx } from "../../store/db.ts";
import { type MessageRow, messages } from "../../store/schema.ts";
import { deleteUnusedBlobs } from "./blobs.ts";
import { deleteSearchRows } from "./search-index.ts";

/** A message row read inside the actor's transaction, with its rowid (the search index's key). */
export type MessageRecord = MessageRow & { seq: number };

export interface NewMessageRow extends FlagColumns {
  id: string;
  grantId: string;
  folderId: string;
  uid: number;
  modseq: number;
  blobHash: string;
  size: number;
  internalDate: number;
  messageIdHeader: string | null;
  metadataJson: string;
  createdAt: number;
  threadId: string;
  subject: string | null;
  fromJson: string;
  toJson: string;
  ccJson: string;
  bccJson: string;
  replyToJson: string;
  snippet: string;
  hasAttachments: boolean;
  inReplyTo: string | null;
  referencesJson: string;
  dateHeader: number | null;
  extractedJson: string;
  sortKeys: SortKeys;
  /** The MX's SPF/DKIM/DMARC verdicts (JSON); absent for mail that did not come through it. */
  authenticationJson?: string | null;
  /** The spam verdict (JSON), when the account's policy scored it. */
  spamJson?: string | null;
}

const b = (v: boolean) => (v ? 1 : 0);

/** Inserts the message row; returns its rowid (the search index's key). */
export function insertMessageRow(tx: Tx, m: NewMessageRow): number {
  const result = tx.$client
    .prepare(
      `INSERT INTO messages (id, grant_id, folder_id, uid, modseq, seen, flagged, answered, draft, deleted,
        keywords_json, blob_hash, size, internal_date, message_id_header, metadata_json, created_at, updated_at,
        thread_id, subject, from_json, to_json, cc_json, bcc_json, reply_to_json, snippet, has_attachments,
         in_reply_to, references_json, date_header, extracted_json, subject_folded, authentication_json,
         sort_subject, subject_reply, sort_from, sort_to, sort_cc, display_from, display_to, spam_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      m.id,
      m.grantId,
      m.folderId,
      m.uid,
      m.modseq,
      b(m.seen),
      b(m.flagged),
      b(m.answered),
      b(m.draft),
      b(m.deleted),
      m.keywordsJson,
      m.blobHash,
      m.size,
      m.internalDate,
      m.messageIdHeader,
      m.metadataJson,
      m.createdAt,
      m.createdAt,
      m.threadId,
      m.subject,
      m.fromJson,
      m.toJson,
      m.ccJson,
      m.bccJson,
      m.replyToJson,
      m.snippet,
      b(m.hasAttachments),
      m.inReplyTo,
      m.referencesJson,
      m.dateHeader,
      m.extractedJson,
      m.subject?.toLowerCase() ?? null,
      m.authenticationJson ?? null,
      m.sortKeys.subject,
      b(m.sortKeys.subjectReply),
      m.sortKeys.from,
      m.sortKeys.to,
      m.sortKeys.cc,
      m.sortKeys.displayFrom,
      m.sortKeys.displayTo,
      m.spamJson ?? null,
    );
  return Number(result.lastInsertRowid);
}

/** Fills the IMAP SORT/THREAD keys of a message stored before they existed (migration 0015). */
export function setSortKeys(tx: Tx, messageId: string, k: SortKeys): void {
  tx.update(messages)
    .set({
      sortSubject: k.subject,
      subjectReply: k.subjectReply,
      sortFrom: k.from,
      sortTo: k.to,
      sortCc: k.cc,
      displayFrom: k.displayFrom,
      displayTo: k.displayTo,
    })
    .where(eq(messages.id, messageId))
    .run();
}

/** A message's state after a change: its flags, where it is, its MODSEQ and metadata. */
export interface MessageState {
  flags: Flags;
  folderId: string;
  uid: number;
  modseq: number;
  metadataJson: string;
  updatedAt: number;
}

export function updateMessageState(tx: Tx, messageId: string, s: MessageState): void {
  tx.update(messages)
    .set({
      seen: s.flags.seen,
      flagged: s.flags.flagged,
      answered: s.flags.answered,
      draft: s.flags.draft,
      deleted: s.flags.deleted,
      keywordsJson: JSON.stringify(s.flags.keywords),
      folderId: s.folderId,
      uid: s.uid,
      modseq: s.modseq,
      metadataJson: s.metadataJson,
      updatedAt: s.updatedAt,
    })
    .where(eq(messages.id, messageId))
    .run();
}

/**
 * Deletes a message for good: its row (details cascade), its search row, and its raw bytes when
 * no other message shares them and no queued delivery still needs them.
 */
export function deleteMessage(tx: Tx, m: MessageRecord): void {
  tx.delete(messages).where(eq(messages.id, m.id)).run();
  deleteSearchRows(tx, [m.seq]);
  deleteUnusedBlobs(tx, [m.blobHash]);
}

const record = { row: messages, seq: sql<number>`${messages}.rowid` };
const toRecord = (r: { row: MessageRow; seq: number }): MessageRecord => ({ ...r.row, seq: r.seq });

/** A message of this grant, or not_found. */
export function requireMessage(tx: Tx, grantId: string, messageId: string): MessageRecord {
  const found = tx
    .select(record)
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.id, messageId)))
    .get();
  if (!found) throw new MailboxError("not_found", `message ${messageId} does not exist`);
  return toRecord(found);
}

/** The messages of one folder with these UIDs, ascending by UID; UIDs that no longer exist are left out. */
export function rowsByUid(
  tx: Tx,
  grantId: string,
  folderId: string,
  uids: readonly number[],
): MessageRecord[] {
  if (uids.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const uid of uids) {
    if (uid < lo) lo = uid;
    if (uid > hi) hi = uid;
  }
  const wanted = new Set(uids);
  return tx
    .select(record)
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId), between(messages.uid, lo, hi)))
    .orderBy(messages.uid)
    .all()
    .filter((r) => wanted.has(r.row.uid))
    .map(toRecord);
}

/** Messages matching `where`, in `order`, at most `limit`. */
export function messageRecords(tx: Tx, where: SQL | undefined, order: SQL, limit: number): MessageRecord[] {
  return tx.select(record).from(messages).where(where).orderBy(order).limit(limit).all().map(toRecord);
}

/** Every message of a folder. */
export function messagesInFolder(tx: Tx, grantId: string, folderId: string): MessageRecord[] {
  return tx
    .select(record)
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId)))
    .all()
    .map(toRecord);
}

/** A folder's \Deleted messages, ascending by UID (what IMAP EXPUNGE removes). */
export function deletedInFolder(tx: Tx, grantId: string, folderId: string): MessageRecord[] {
  return tx
    .select(record)
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId), eq(messages.deleted, true)))
    .orderBy(messages.uid)
    .all()
    .map(toRecord);
}

/** The first message (by UID) of a folder with this Message-ID header, if any. */
export function messageWithMessageId(
  tx: Tx,
  grantId: string,
  folderId: string,
  messageIdHeader: string,
): MessageRow | undefined {
  return tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.grantId, grantId),
        eq(messages.messageIdHeader, messageIdHeader),
        eq(messages.folderId, folderId),
      ),
    )
    .orderBy(messages.uid)
    .limit(1)
    .get();
}
