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
export async function listFolders(store: Store, grantId: string): Promise<FolderView[]> {
  const rows = await store.read
    .select()
    .from(folders)
    .where(eq(folders.grantId, grantId))
    .orderBy(asc(folders.createdAt), asc(sql`rowid`));
  const counts = await store.read.select().from(folderCounts).where(eq(folderCounts.grantId, grantId));
  const countOf = new Map(counts.map((c) => [c.folderId, c]));
  return rows.map((row) => ({
    row,
    total: countOf.get(row.id)?.total ?? 0,
    unread: countOf.get(row.id)?.unread ?? 0,
    children: rows.filter((r) => r.parentId === row.id).length,
  }));
}

export async function getFolder(store: Store, grantId: string, folderId: string): Promise<FolderView | null> {
  const [row] = await store.read
    .select()
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.id, folderId)));
  if (!row) return null;
  const c = await countsOf(store, grantId, folderId);
  const [kids] = await store.read
    .select({ n: count() })
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.parentId, folderId)));
  return { row, total: c.total, unread: c.unread, children: kids?.n ?? 0 };
}

/** A folder's totals, kept by triggers (migration 0007): one row read. */
async function countsOf(
  store: Store,
  grantId: string,
  folderId: string,
): Promise<{ total: number; unread: number }> {
  const [c] = await store.read
    .select({ total: folderCounts.total, unread: folderCounts.unread })
    .from(folderCounts)
    .where(and(eq(folderCounts.grantId, grantId), eq(folderCounts.folderId, folderId)));
  return c ?? { total: 0, unread: 0 };
}

export async function unreadCount(store: Store, grantId: string, folderId: string): Promise<number> {
  return (await countsOf(store, grantId, folderId)).unread;
}
