import { and, asc, count, eq, sql } from "drizzle-orm";
import { type FolderRow, folders, messages } from "../store/schema.ts";
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
  const counts = await store.read
    .select({
      folderId: messages.folderId,
      total: count(),
      unread: sql<number>`sum(${messages.seen} = 0)`,
    })
    .from(messages)
    .where(eq(messages.grantId, grantId))
    .groupBy(messages.folderId);
  const countOf = new Map(counts.map((c) => [c.folderId, c]));
  return rows.map((row) => ({
    row,
    total: countOf.get(row.id)?.total ?? 0,
    unread: Number(countOf.get(row.id)?.unread ?? 0),
    children: rows.filter((r) => r.parentId === row.id).length,
  }));
}

export async function getFolder(store: Store, grantId: string, folderId: string): Promise<FolderView | null> {
  const [row] = await store.read
    .select()
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.id, folderId)));
  if (!row) return null;
  const [c] = await store.read
    .select({ total: count(), unread: sql<number>`coalesce(sum(${messages.seen} = 0), 0)` })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId)));
  const [kids] = await store.read
    .select({ n: count() })
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.parentId, folderId)));
  return { row, total: c?.total ?? 0, unread: Number(c?.unread ?? 0), children: kids?.n ?? 0 };
}

/** Unread messages in one folder: an index range count. */
export async function unreadCount(store: Store, grantId: string, folderId: string): Promise<number> {
  const [c] = await store.read
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId), eq(messages.seen, false)));
  return c?.n ?? 0;
}
