/** Folder reads for IMAP: the tree (LIST), and one folder's status counters (SELECT, STATUS). */
import type { Store } from "../store/store.ts";

export interface ImapFolderRow {
  id: string;
  name: string;
  parentId: string | null;
  specialUse: string | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
}

/** Every folder of the grant, in creation order. */
export function imapFolders(store: Store, grantId: string): ImapFolderRow[] {
  const rows = store.read.$client
    .prepare(
      `SELECT id, name, parent_id AS parentId, special_use AS specialUse, subscribed,
              uid_validity AS uidValidity, uid_next AS uidNext
         FROM folders WHERE grant_id = ? ORDER BY created_at, rowid`,
    )
    .all(grantId) as (Omit<ImapFolderRow, "subscribed"> & { subscribed: number })[];
  return rows.map((r) => ({ ...r, subscribed: r.subscribed === 1 }));
}

export function imapFolder(store: Store, grantId: string, folderId: string): ImapFolderRow | null {
  const r = store.read.$client
    .prepare(
      `SELECT id, name, parent_id AS parentId, special_use AS specialUse, subscribed,
              uid_validity AS uidValidity, uid_next AS uidNext
         FROM folders WHERE grant_id = ? AND id = ?`,
    )
    .get(grantId, folderId) as (Omit<ImapFolderRow, "subscribed"> & { subscribed: number }) | null;
  return r ? { ...r, subscribed: r.subscribed === 1 } : null;
}

export interface FolderCounts {
  messages: number;
  unseen: number;
  /** Highest MODSEQ of a message in the folder or of a UID it expunged (CONDSTORE); at least 1. */
  highestModseq: number;
  uidNext: number;
  uidValidity: number;
}

/**
 * A folder's counters: totals from folder_counts (kept by triggers), the highest MODSEQ from the
 * (grant, folder, modseq) index: a few row reads whatever the folder's size.
 */
export function folderCounts(store: Store, grantId: string, folderId: string): FolderCounts | null {
  const folder = imapFolder(store, grantId, folderId);
  if (!folder) return null;
  const db = store.read.$client;
  const c = db
    .prepare("SELECT total, unread FROM folder_counts WHERE grant_id = ? AND folder_id = ?")
    .get(grantId, folderId) as { total: number; unread: number } | null;
  return {
    messages: c?.total ?? 0,
    unseen: c?.unread ?? 0,
    highestModseq: folderHighestModseq(store, grantId, folderId),
    uidNext: folder.uidNext,
    uidValidity: folder.uidValidity,
  };
}

/** The folder's HIGHESTMODSEQ: its newest change, a departure included; at least 1. */
export function folderHighestModseq(store: Store, grantId: string, folderId: string): number {
  const m = store.read.$client
    .prepare("SELECT max(modseq) AS modseq FROM messages WHERE grant_id = ? AND folder_id = ?")
    .get(grantId, folderId) as { modseq: number | null };
  return Math.max(1, m.modseq ?? 0, expungedHighestModseq(store, grantId, folderId));
}

/** Sum of the folder's RFC822.SIZEs (STATUS=SIZE): a scan of the folder, only when asked. */
export function folderSize(store: Store, grantId: string, folderId: string): number {
  const r = store.read.$client
    .prepare("SELECT coalesce(sum(size), 0) AS size FROM messages WHERE grant_id = ? AND folder_id = ?")
    .get(grantId, folderId) as { size: number };
  return r.size;
}

/** The highest MODSEQ at which a UID left the folder (0 when none did). */
export function expungedHighestModseq(store: Store, grantId: string, folderId: string): number {
  const r = store.read.$client
    .prepare("SELECT coalesce(max(modseq), 0) AS m FROM expunged WHERE grant_id = ? AND folder_id = ?")
    .get(grantId, folderId) as { m: number };
  return r.m;
}
