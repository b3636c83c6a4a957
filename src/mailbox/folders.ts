import { and, asc, count, eq, sql } from "drizzle-orm";
import { type FolderRow, folderCounts, folders } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export interface FolderView {
  row: FolderRow;
  total: number;
  unread: number;
  children: number;
}

/** Every folder of a grant with its counts, in creation order (system folders first). */
export function listFolders(store: Store, grantId: string): FolderView[] {
  const rows = store.read
    .select()
    .from(folders)
    .where(eq(folders.grantId, grantId))
    .orderBy(asc(folders.createdAt), asc(sql`rowid`))
    .all();
  const counts = store.read.select().from(folderCounts).where(eq(folderCounts.grantId, grantId)).all();
  const countOf = new Map(counts.map((c) => [c.folderId, c]));
  return rows.map((row) => ({
    row,
    total: countOf.get(row.id)?.total ?? 0,
    unread: countOf.get(row.id)?.unread ?? 0,
    children: rows.filter((r) => r.parentId === row.id).length,
  }));
}

export function getFolder(store: Store, grantId: string, folderId: string): FolderView | null {
  const row = store.read
    .select()
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.id, folderId)))
    .get();
  if (!row) return null;
  const c = countsOf(store, grantId, folderId);
  const kids = store.read
    .select({ n: count() })
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.parentId, folderId)))
    .get();
  return { row, total: c.total, unread: c.unread, children: kids?.n ?? 0 };
}

/** A folder's totals, kept by triggers (migration 0007): one row read. */
function countsOf(store: Store, grantId: string, folderId: string): { total: number; unread: number } {
  const c = store.read
    .select({ total: folderCounts.total, unread: folderCounts.unread })
    .from(folderCounts)
    .where(and(eq(folderCounts.grantId, grantId), eq(folderCounts.folderId, folderId)))
    .get();
  return c ?? { total: 0, unread: 0 };
}

export function unreadCount(store: Store, grantId: string, folderId: string): number {
  return countsOf(store, grantId, folderId).unread;
}
