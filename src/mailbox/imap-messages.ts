/**
 * Message reads for IMAP sessions: a folder's UIDs (SELECT), rows for FETCH by UID range, the
 * rows SEARCH evaluates, full-text matches, MODSEQ queries (CONDSTORE/QRESYNC) and raw bytes.
 * Compiled statements on the read connection; nothing here writes.
 */

import type { Store } from "../store/store.ts";
import { grantMatch } from "./search-scope.ts";

export interface SelectInfo {
  uids: number[];
  firstUnseenUid: number | null;
  /** Keywords used in the folder (FLAGS / PERMANENTFLAGS). */
  keywords: string[];
}

export function selectInfo(store: Store, grantId: string, folderId: string): SelectInfo {
  const db = store.read.$client;
  const uids = (
    db
      .prepare("SELECT uid FROM messages WHERE grant_id = ? AND folder_id = ? ORDER BY uid")
      .values(grantId, folderId) as [number][]
  ).map((r) => r[0]);
  const unseen = db
    .prepare("SELECT min(uid) AS uid FROM messages WHERE grant_id = ? AND folder_id = ? AND seen = 0")
    .get(grantId, folderId) as { uid: number | null };
  return { uids, firstUnseenUid: unseen.uid, keywords: folderKeywords(store, grantId, folderId) };
}

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

/** Messages of a folder with lo <= UID <= hi, ascending; `changedSince` keeps MODSEQ > n only. */
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

/** UIDs of the folder whose full-text entry matches an FTS5 expression. */
export function fullTextUids(store: Store, grantId: string, folderId: string, match: string): Set<number> {
  const rows = store.read.$client
    .prepare(
      `SELECT m.uid FROM messages m
        WHERE m.grant_id = ? AND m.folder_id = ?
          AND m.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)`,
    )
    .values(grantId, folderId, grantMatch(store, grantId, match)) as [number][];
  return new Set(rows.map((r) => r[0]));
}

/** UIDs that left the folder at a MODSEQ above `modseq` (QRESYNC VANISHED (EARLIER)). */
export function vanishedSince(store: Store, grantId: string, folderId: string, modseq: number): number[] {
  return (
    store.read.$client
      .prepare("SELECT uid FROM expunged WHERE grant_id = ? AND folder_id = ? AND modseq > ? ORDER BY uid")
      .values(grantId, folderId, modseq) as [number][]
  ).map((r) => r[0]);
}

/** Messages of the folder with a UID above `uid` (STATUS RECENT). */
export function countAboveUid(store: Store, grantId: string, folderId: string, uid: number): number {
  const r = store.read.$client
    .prepare("SELECT count(*) AS n FROM messages WHERE grant_id = ? AND folder_id = ? AND uid > ?")
    .get(grantId, folderId, uid) as { n: number };
  return r.n;
}
