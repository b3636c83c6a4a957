/**
 * The ingest hot path, in plain prepared SQL: storing one message writes nine kinds of rows, and
 * drizzle's query builder cost ~3× what SQLite itself spends on them (bench/ingest.ts). The
 * statements are compiled once per connection (CachingDatabase). Everything else uses drizzle.
 */
import type { AttachmentInfo } from "../mail/attachments.ts";
import type { SearchDocument } from "../mail/search/index-text.ts";
import { grantToken } from "../mail/search/tokens.ts";
import type { Tx } from "./db.ts";

export interface NewMessageRow {
  id: string;
  grantId: string;
  folderId: string;
  uid: number;
  modseq: number;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  deleted: boolean;
  keywordsJson: string;
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
  /** The MX's SPF/DKIM/DMARC verdicts (JSON); absent for mail that did not come through it. */
  authenticationJson?: string | null;
}

/** An attachment row: what the MIME index found, plus its id. */
export type AttachmentInsert = AttachmentInfo & { id: string };

const b = (v: boolean) => (v ? 1 : 0);

export function insertBlob(tx: Tx, hash: string, data: Uint8Array): void {
  tx.$client
    .prepare("INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)")
    .run(hash, data.byteLength, data);
}

/** Deletes the raw messages no message and no queued delivery refers to any more. */
export function deleteUnusedBlobs(tx: Tx, hashes: Iterable<string>): void {
  const stmt = tx.$client.prepare(
    `DELETE FROM blobs WHERE hash = ?1
       AND NOT EXISTS (SELECT 1 FROM messages WHERE blob_hash = ?1)
       AND NOT EXISTS (SELECT 1 FROM outbound_queue WHERE blob_hash = ?1)`,
  );
  for (const hash of hashes) stmt.run(hash);
}

/** Inserts the message row; returns its rowid (the search index's key). */
export function insertMessageRow(tx: Tx, m: NewMessageRow): number {
  const result = tx.$client
    .prepare(
      `INSERT INTO messages (id, grant_id, folder_id, uid, modseq, seen, flagged, answered, draft, deleted,
        keywords_json, blob_hash, size, internal_date, message_id_header, metadata_json, created_at, updated_at,
        thread_id, subject, from_json, to_json, cc_json, bcc_json, reply_to_json, snippet, has_attachments,
        in_reply_to, references_json, date_header, extracted_json, subject_folded, authentication_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
  return Number(result.lastInsertRowid);
}

export function insertMessageDetails(
  tx: Tx,
  messageId: string,
  d: { body: string; envelopeJson: string; bodystructureJson: string; treeJson: string },
): void {
  const db = tx.$client;
  db.prepare("INSERT INTO message_bodies (message_id, body) VALUES (?, ?)").run(messageId, d.body);
  db.prepare(
    "INSERT INTO message_mime (message_id, envelope_json, bodystructure_json, tree_json) VALUES (?, ?, ?, ?)",
  ).run(messageId, d.envelopeJson, d.bodystructureJson, d.treeJson);
}

export function insertParticipants(
  tx: Tx,
  messageId: string,
  grantId: string,
  people: [kind: string, email: string][],
): void {
  const stmt = tx.$client.prepare(
    "INSERT INTO message_addresses (message_id, grant_id, kind, email) VALUES (?, ?, ?, ?)",
  );
  for (const [kind, email] of people) stmt.run(messageId, grantId, kind, email);
}

export function insertAttachments(
  tx: Tx,
  messageId: string,
  grantId: string,
  list: AttachmentInsert[],
): void {
  const stmt = tx.$client.prepare(
    `INSERT INTO attachments (id, message_id, grant_id, part_path, filename, content_type, size, content_id, disposition, is_inline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const a of list) {
    stmt.run(
      a.id,
      messageId,
      grantId,
      a.partPath,
      a.filename,
      a.contentType,
      a.size,
      a.contentId,
      a.disposition,
      b(a.isInline),
    );
  }
}

/**
 * Indexes a message for search, under its grant's token (grantToken); held until the batch
 * commits (see before-commit.ts).
 */
export function insertSearchRow(tx: Tx, rowid: number, grantId: string, doc: SearchDocument): void {
  const db = tx.$client;
  const subject = `${doc.subject} ${grantToken(grantId)}`;
  db.holdUntilCommit(() =>
    db
      .prepare(
        `INSERT INTO messages_fts (rowid, subject, participants, from_addr, to_addr, cc_addr, body, filenames)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rowid,
        subject,
        doc.participants,
        doc.from_addr,
        doc.to_addr,
        doc.cc_addr,
        doc.body,
        doc.filenames,
      ),
  );
}

/** Removes messages from the search index, in order with the inserts held for the commit. */
export function deleteSearchRows(tx: Tx, rowids: number[]): void {
  if (rowids.length === 0) return;
  const db = tx.$client;
  db.holdUntilCommit(() => {
    const stmt = db.prepare("DELETE FROM messages_fts WHERE rowid = ?");
    for (const rowid of rowids) stmt.run(rowid);
  });
}

export function insertEventRow(
  tx: Tx,
  e: { id: string; applicationId: string; grantId: string | null; type: string; objectJson: string },
): void {
  tx.$client
    .prepare(
      "INSERT INTO events (id, application_id, grant_id, type, object_json, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(e.id, e.applicationId, e.grantId, e.type, e.objectJson, Date.now());
}

/** The thread of the newest message of the grant with one of these Message-IDs. */
export function threadOfMessageIds(tx: Tx, grantId: string, messageIds: string[]): string | null {
  if (messageIds.length === 0) return null;
  const marks = messageIds.map(() => "?").join(", ");
  const row = tx.$client
    .prepare(
      `SELECT thread_id FROM messages WHERE grant_id = ? AND message_id_header IN (${marks}) ORDER BY internal_date DESC LIMIT 1`,
    )
    .get(grantId, ...messageIds) as { thread_id: string | null } | null;
  return row?.thread_id ?? null;
}

/** Threads of messages that already refer to this Message-ID (they arrived first). */
export function threadsReferring(tx: Tx, grantId: string, messageId: string): string[] {
  const rows = tx.$client
    .prepare(
      `SELECT m.thread_id AS thread_id FROM message_references r JOIN messages m ON m.id = r.message_id
       WHERE r.grant_id = ? AND r.ref_id = ?`,
    )
    .all(grantId, messageId) as { thread_id: string | null }[];
  // De-duplicated here: DISTINCT in SQL builds a temporary B-tree, ~15 µs on every ingest.
  return [...new Set(rows.flatMap((r) => (r.thread_id ? [r.thread_id] : [])))];
}

export function insertReferences(tx: Tx, grantId: string, messageId: string, refIds: string[]): void {
  const stmt = tx.$client.prepare(
    "INSERT INTO message_references (grant_id, ref_id, message_id) VALUES (?, ?, ?)",
  );
  for (const ref of refIds) stmt.run(grantId, ref, messageId);
}

/** Folds threads into `keep` when a message turns out to link them. */
export function mergeThreads(tx: Tx, grantId: string, keep: string, others: string[]): void {
  const db = tx.$client;
  for (const other of others) {
    db.prepare("UPDATE messages SET thread_id = ? WHERE grant_id = ? AND thread_id = ?").run(
      keep,
      grantId,
      other,
    );
    db.prepare(
      "UPDATE threads SET latest_message_at = max(latest_message_at, (SELECT latest_message_at FROM threads WHERE id = ?)) WHERE id = ?",
    ).run(other, keep);
    db.prepare("DELETE FROM threads WHERE id = ?").run(other);
  }
}

export function recentThreadBySubject(
  tx: Tx,
  grantId: string,
  subjectKey: string,
  since: number,
): string | null {
  const row = tx.$client
    .prepare(
      "SELECT id FROM threads WHERE grant_id = ? AND subject_key = ? AND latest_message_at > ? ORDER BY latest_message_at DESC LIMIT 1",
    )
    .get(grantId, subjectKey, since) as { id: string } | null;
  return row?.id ?? null;
}

export function touchThread(tx: Tx, threadId: string, at: number): void {
  tx.$client
    .prepare("UPDATE threads SET latest_message_at = max(latest_message_at, ?) WHERE id = ?")
    .run(at, threadId);
}

export function insertThread(
  tx: Tx,
  t: { id: string; grantId: string; subjectKey: string; at: number },
): void {
  tx.$client
    .prepare(
      "INSERT INTO threads (id, grant_id, subject_key, created_at, latest_message_at) VALUES (?, ?, ?, ?, ?)",
    )
    .run(t.id, t.grantId, t.subjectKey, t.at, t.at);
}
