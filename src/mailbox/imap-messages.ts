/**
 * Message reads for IMAP sessions: a folder's UIDs (SELECT), rows for FETCH by UID range, the
 * rows SEARCH evaluates, substring matches of their text and MODSEQ queries (CONDSTORE/QRESYNC).
 */
import { and, count, eq, gt, min, sql } from "drizzle-orm";
import { compiledReads } from "../store/compiled-reads.ts";
import { expunged, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const queries = compiledReads((db) => {
  const grant = sql.placeholder("grantId");
  const folder = sql.placeholder("folderId");
  const inFolder = and(eq(messages.grantId, grant), eq(messages.folderId, folder));
  return {
    firstUnseenUid: db
      .select({ uid: min(messages.uid) })
      .from(messages)
      .where(and(inFolder, eq(messages.seen, false)))
      .prepare(),
    vanishedSince: db
      .select({ uid: expunged.uid })
      .from(expunged)
      .where(
        and(
          eq(expunged.grantId, grant),
          eq(expunged.folderId, folder),
          gt(expunged.modseq, sql.placeholder("modseq")),
        ),
      )
      .orderBy(expunged.uid)
      .prepare(),
    countAboveUid: db
      .select({ n: count() })
      .from(messages)
      .where(and(inFolder, gt(messages.uid, sql.placeholder("uid"))))
      .prepare(),
  };
});

export interface SelectInfo {
  uids: number[];
  firstUnseenUid: number | null;
  /** Keywords used in the folder (FLAGS / PERMANENTFLAGS). */
  keywords: string[];
}

export function selectInfo(store: Store, grantId: string, folderId: string): SelectInfo {
  return {
    uids: folderUids(store, grantId, folderId),
    firstUnseenUid: queries(store).firstUnseenUid.get({ grantId, folderId })?.uid ?? null,
    keywords: folderKeywords(store, grantId, folderId),
  };
}

/**
 * Every UID of the folder, ascending. Plain SQL on the connection's statement cache: SELECT reads
 * the whole folder, and drizzle's compiled query took a quarter longer (10,000 messages).
 */
function folderUids(store: Store, grantId: string, folderId: string): number[] {
  return (
    store.read.$client
      .prepare("SELECT uid FROM messages WHERE grant_id = ? AND folder_id = ? ORDER BY uid")
      .values(grantId, folderId) as [number][]
  ).map((r) => r[0]);
}

/** Plain SQL: INDEXED BY and json_each are beyond drizzle's query builder. */
export function folderKeywords(store: Store, grantId: string, folderId: string): string[] {
  return (
    store.read.$client
      .prepare(
        `SELECT DISTINCT j.value AS k FROM messages m INDEXED BY messages_keywords, json_each(m.keywords_json) j
          WHERE m.grant_id = ? AND m.folder_id = ? AND m.keywords_json <> '[]'`,
      )
      .values(grantId, folderId) as [string][]
  ).map((r) => r[0]);
}

/** The columns every IMAP read of a message has: identity, flags, size and dates. */
export interface MessageBaseRow {
  id: string;
  uid: number;
  modseq: number;
  seen: number;
  flagged: number;
  answered: number;
  draft: number;
  deleted: number;
  keywordsJson: string;
  size: number;
  internalDate: number;
  blobHash: string;
}

/** A message as FETCH reads it; the MIME columns are present only when asked for. */
export interface FetchRow extends MessageBaseRow {
  envelopeJson?: string | null;
  bodystructureJson?: string | null;
  treeJson?: string | null;
}

export interface FetchColumns {
  envelope?: boolean;
  bodystructure?: boolean;
  tree?: boolean;
}

const BASE_COLUMNS = `m.id, m.uid, m.modseq, m.seen, m.flagged, m.answered, m.draft, m.deleted,
  m.keywords_json AS keywordsJson, m.size, m.internal_date AS internalDate, m.blob_hash AS blobHash`;

/**
 * Messages of a folder with lo <= UID <= hi, ascending; `changedSince` keeps MODSEQ > n only.
 * Plain SQL on the connection's statement cache: FETCH reads every message through here, the
 * columns vary with the items asked for, and drizzle's per-row mapping doubled the time of a
 * large range (flags also stay SQLite's 0/1, as FETCH writes them back).
 */
export function fetchRows(
  store: Store,
  grantId: string,
  folderId: string,
  lo: number,
  hi: number,
  columns: FetchColumns,
  changedSince?: number,
): FetchRow[] {
  const extra = [
    columns.envelope ? ", mm.envelope_json AS envelopeJson" : "",
    columns.bodystructure ? ", mm.bodystructure_json AS bodystructureJson" : "",
    columns.tree ? ", mm.tree_json AS treeJson" : "",
  ].join("");
  const join = extra ? " LEFT JOIN message_mime mm ON mm.message_id = m.id" : "";
  const modseq = changedSince === undefined ? "" : " AND m.modseq > ?";
  const sql = `SELECT ${BASE_COLUMNS}${extra} FROM messages m${join}
    WHERE m.grant_id = ? AND m.folder_id = ? AND m.uid BETWEEN ? AND ?${modseq} ORDER BY m.uid`;
  const params: (string | number)[] = [grantId, folderId, lo, hi];
  if (changedSince !== undefined) params.push(changedSince);
  return store.read.$client.prepare(sql).all(...params) as FetchRow[];
}

/** What SEARCH evaluates for each message of a folder. */
export interface SearchRow extends MessageBaseRow {
  dateHeader: number | null;
  subject: string | null;
  fromJson: string;
  toJson: string;
  ccJson: string;
  bccJson: string;
  messageIdHeader: string | null;
}

/**
 * Plain SQL on the connection's statement cache: SEARCH reads the whole folder, and drizzle's
 * per-row mapping would double the time of a large one (as for fetchRows).
 */
export function searchRows(store: Store, grantId: string, folderId: string): SearchRow[] {
  return store.read.$client
    .prepare(
      `SELECT ${BASE_COLUMNS}, m.date_header AS dateHeader, m.subject, m.from_json AS fromJson,
              m.to_json AS toJson, m.cc_json AS ccJson, m.bcc_json AS bccJson,
              m.message_id_header AS messageIdHeader
         FROM messages m WHERE m.grant_id = ? AND m.folder_id = ? ORDER BY m.uid`,
    )
    .all(grantId, folderId) as SearchRow[];
}

/** UIDs that left the folder at a MODSEQ above `modseq` (QRESYNC VANISHED (EARLIER)). */
export function vanishedSince(store: Store, grantId: string, folderId: string, modseq: number): number[] {
  return queries(store)
    .vanishedSince.values({ grantId, folderId, modseq })
    .map((r) => r[0] as number);
}

/** Messages of the folder with a UID above `uid` (STATUS RECENT). */
export function countAboveUid(store: Store, grantId: string, folderId: string, uid: number): number {
  return queries(store).countAboveUid.get({ grantId, folderId, uid })?.n ?? 0;
}

/**
 * The highest UID of the folder among messages stored before `seconds` (the \Recent floor of a
 * folder at a process's start). Walks the UID index from the top: only messages stored since
 * are passed over.
 */
export function highestUidStoredBefore(
  store: Store,
  grantId: string,
  folderId: string,
  seconds: number,
): number {
  const row = store.read.$client
    .prepare(
      `SELECT uid FROM messages INDEXED BY messages_uid WHERE grant_id = ? AND folder_id = ? AND created_at < ?
        ORDER BY uid DESC LIMIT 1`,
    )
    .get(grantId, folderId, seconds) as { uid: number } | null;
  return row?.uid ?? 0;
}

/**
 * Each message's ENVELOPE JSON, by UID: what SEARCH reads for the Date header's own zone and
 * for group names in address fields. One query for the folder, only for searches that need it.
 */
export function folderEnvelopes(store: Store, grantId: string, folderId: string): Map<number, string> {
  const rows = store.read.$client
    .prepare(
      `SELECT m.uid, mm.envelope_json FROM messages m JOIN message_mime mm ON mm.message_id = m.id
        WHERE m.grant_id = ? AND m.folder_id = ?`,
    )
    .values(grantId, folderId) as [number, string | null][];
  const out = new Map<number, string>();
  for (const [uid, json] of rows) if (json) out.set(uid, json);
  return out;
}

/** A message of the folder with no stored search text (stored before it was kept). */
export interface UnindexedMessage {
  uid: number;
  blobHash: string;
  treeJson: string | null;
}

/**
 * UIDs of the folder whose IMAP search text (src/mail/search/imap-text.ts) holds `needle` in the
 * body, or with `header` in the header too, as a substring: SQLite's instr() over the stored
 * text, one scan of the folder's rows. Plain SQL: instr() is beyond drizzle's builder.
 */
export function searchTextUids(
  store: Store,
  grantId: string,
  folderId: string,
  needle: string,
  header: boolean,
): Set<number> {
  const rows = store.read.$client
    .prepare(
      `SELECT m.uid FROM messages m JOIN message_search_text t ON t.message_id = m.id
        WHERE m.grant_id = ?1 AND m.folder_id = ?2 AND (instr(t.body, ?3) > 0 OR (?4 AND instr(t.header, ?3) > 0))`,
    )
    .values(grantId, folderId, needle, header ? 1 : 0) as [number][];
  return new Set(rows.map((r) => r[0]));
}

/** The folder's messages without stored search text: SEARCH reads them from their bytes. */
export function unindexedMessages(store: Store, grantId: string, folderId: string): UnindexedMessage[] {
  return store.read.$client
    .prepare(
      `SELECT m.uid, m.blob_hash AS blobHash, mm.tree_json AS treeJson FROM messages m
         LEFT JOIN message_search_text t ON t.message_id = m.id
         LEFT JOIN message_mime mm ON mm.message_id = m.id
        WHERE m.grant_id = ? AND m.folder_id = ? AND t.message_id IS NULL`,
    )
    .all(grantId, folderId) as UnindexedMessage[];
}
