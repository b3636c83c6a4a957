/** Folder reads for IMAP: the tree (LIST), and one folder's status counters (SELECT, STATUS). */
import { and, asc, eq, max, sql } from "drizzle-orm";
import { compiledReads } from "../store/compiled-reads.ts";
import {
  expunged,
  type FolderRow,
  folders,
  folderCounts as folderTotals,
  imapSubscriptions,
  messages,
} from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export type ImapFolderRow = Pick<
  FolderRow,
  "id" | "name" | "parentId" | "specialUse" | "subscribed" | "uidValidity" | "uidNext"
>;

/** Compiled once per store: sessions read folders at every command that names a mailbox. */
const queries = compiledReads((db) => {
  const grant = sql.placeholder("grantId");
  const folder = sql.placeholder("folderId");
  const columns = {
    id: folders.id,
    name: folders.name,
    parentId: folders.parentId,
    specialUse: folders.specialUse,
    subscribed: folders.subscribed,
    uidValidity: folders.uidValidity,
    uidNext: folders.uidNext,
  };
  return {
    folders: db
      .select(columns)
      .from(folders)
      .where(eq(folders.grantId, grant))
      .orderBy(asc(folders.createdAt), asc(sql`rowid`))
      .prepare(),
    folder: db
      .select(columns)
      .from(folders)
      .where(and(eq(folders.grantId, grant), eq(folders.id, folder)))
      .prepare(),
    totals: db
      .select({ total: folderTotals.total, unread: folderTotals.unread })
      .from(folderTotals)
      .where(and(eq(folderTotals.grantId, grant), eq(folderTotals.folderId, folder)))
      .prepare(),
    highestModseq: db
      .select({ modseq: max(messages.modseq) })
      .from(messages)
      .where(and(eq(messages.grantId, grant), eq(messages.folderId, folder)))
      .prepare(),
    size: db
      .select({ size: sql<number>`coalesce(sum(${messages.size}), 0)` })
      .from(messages)
      .where(and(eq(messages.grantId, grant), eq(messages.folderId, folder)))
      .prepare(),
    folderlessSubscriptions: db
      .select({ name: imapSubscriptions.name })
      .from(imapSubscriptions)
      .where(eq(imapSubscriptions.grantId, grant))
      .orderBy(imapSubscriptions.name)
      .prepare(),
    expungedHighestModseq: db
      .select({ modseq: sql<number>`coalesce(max(${expunged.modseq}), 0)` })
      .from(expunged)
      .where(and(eq(expunged.grantId, grant), eq(expunged.folderId, folder)))
      .prepare(),
  };
});

/** Every folder of the grant, in creation order. */
export function imapFolders(store: Store, grantId: string): ImapFolderRow[] {
  return queries(store).folders.all({ grantId });
}

export function imapFolder(store: Store, grantId: string, folderId: string): ImapFolderRow | null {
  return queries(store).folder.get({ grantId, folderId }) ?? null;
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
  const totals = queries(store).totals.get({ grantId, folderId });
  return {
    messages: totals?.total ?? 0,
    unseen: totals?.unread ?? 0,
    highestModseq: folderHighestModseq(store, grantId, folderId),
    uidNext: folder.uidNext,
    uidValidity: folder.uidValidity,
  };
}

/** The folder's HIGHESTMODSEQ: its newest change, a departure included; at least 1. */
export function folderHighestModseq(store: Store, grantId: string, folderId: string): number {
  const newest = queries(store).highestModseq.get({ grantId, folderId })?.modseq ?? 0;
  return Math.max(1, newest, expungedHighestModseq(store, grantId, folderId));
}

/** Sum of the folder's RFC822.SIZEs (STATUS=SIZE): a scan of the folder, only when asked. */
export function folderSize(store: Store, grantId: string, folderId: string): number {
  return queries(store).size.get({ grantId, folderId })?.size ?? 0;
}

/** The highest MODSEQ at which a UID left the folder (0 when none did). */
export function expungedHighestModseq(store: Store, grantId: string, folderId: string): number {
  return queries(store).expungedHighestModseq.get({ grantId, folderId })?.modseq ?? 0;
}

/** IMAP names still subscribed after IMAP deleted their folder (the `imap_subscriptions` rows). */
export function folderlessSubscriptions(store: Store, grantId: string): string[] {
  return queries(store)
    .folderlessSubscriptions.all({ grantId })
    .map((r) => r.name);
}
