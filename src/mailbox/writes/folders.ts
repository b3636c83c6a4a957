/** A grant's folders as the mailbox actor writes them, and the reads it makes inside its transaction. */
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../../store/db.ts";
import { folders, imapSubscriptions } from "../../store/schema.ts";

/** What the actor keeps in memory of a folder. */
export interface FolderCounters {
  id: string;
  name: string;
  parentId: string | null;
  uidValidity: number;
  uidNext: number;
}

const ofGrant = (grantId: string, folderId: string) =>
  and(eq(folders.grantId, grantId), eq(folders.id, folderId));

export function folderCounters(db: Db, grantId: string): FolderCounters[] {
  return db
    .select({
      id: folders.id,
      name: folders.name,
      parentId: folders.parentId,
      uidValidity: folders.uidValidity,
      uidNext: folders.uidNext,
    })
    .from(folders)
    .where(eq(folders.grantId, grantId))
    .all();
}

/** Persists each folder's next UID; never lowers it. */
export function saveUidNext(tx: Tx, grantId: string, next: readonly { id: string; uidNext: number }[]): void {
  if (next.length === 0) return;
  const update = tx.$client.prepare(
    "UPDATE folders SET uid_next = max(uid_next, ?) WHERE grant_id = ? AND id = ?",
  );
  for (const folder of next) update.run(folder.uidNext, grantId, folder.id);
}

export function insertFolder(
  tx: Tx,
  f: {
    grantId: string;
    id: string;
    name: string;
    parentId: string | null;
    subscribed: boolean;
    textColor?: string | null;
    backgroundColor?: string | null;
    uidValidity: number;
    now: number;
  },
): void {
  tx.insert(folders)
    .values({
      grantId: f.grantId,
      id: f.id,
      name: f.name,
      parentId: f.parentId,
      subscribed: f.subscribed,
      textColor: f.textColor ?? null,
      backgroundColor: f.backgroundColor ?? null,
      uidValidity: f.uidValidity,
      createdAt: f.now,
      updatedAt: f.now,
    })
    .run();
}

/** A folder's name, place and colours; what is not given stays. */
export interface FolderEdit {
  name?: string;
  parentId?: string | null;
  textColor?: string | null;
  backgroundColor?: string | null;
}

export function updateFolder(tx: Tx, grantId: string, folderId: string, edit: FolderEdit, now: number): void {
  tx.update(folders)
    .set({
      ...(edit.name !== undefined && { name: edit.name }),
      ...(edit.parentId !== undefined && { parentId: edit.parentId }),
      ...(edit.textColor !== undefined && { textColor: edit.textColor }),
      ...(edit.backgroundColor !== undefined && { backgroundColor: edit.backgroundColor }),
      updatedAt: now,
    })
    .where(ofGrant(grantId, folderId))
    .run();
}

export function setSubscribed(
  tx: Tx,
  grantId: string,
  folderId: string,
  subscribed: boolean,
  now: number,
): void {
  tx.update(folders).set({ subscribed, updatedAt: now }).where(ofGrant(grantId, folderId)).run();
}

/** Whether the folder is subscribed (IMAP LSUB, LIST (SUBSCRIBED)). */
export function isSubscribed(tx: Tx, grantId: string, folderId: string): boolean {
  const row = tx
    .select({ subscribed: folders.subscribed })
    .from(folders)
    .where(ofGrant(grantId, folderId))
    .get();
  return row?.subscribed ?? false;
}

/** Keeps an IMAP name subscribed after its folder is gone. */
export function keepSubscription(tx: Tx, grantId: string, name: string): void {
  tx.insert(imapSubscriptions).values({ grantId, name }).onConflictDoNothing().run();
}

/** Drops a folderless subscription; whether there was one. */
export function dropSubscription(tx: Tx, grantId: string, name: string): boolean {
  const gone = tx
    .delete(imapSubscriptions)
    .where(and(eq(imapSubscriptions.grantId, grantId), eq(imapSubscriptions.name, name)))
    .returning({ name: imapSubscriptions.name })
    .all();
  return gone.length > 0;
}

export function deleteFolder(tx: Tx, grantId: string, folderId: string): void {
  tx.delete(folders).where(ofGrant(grantId, folderId)).run();
}

export function hasSubfolders(tx: Tx, grantId: string, folderId: string): boolean {
  const child = tx
    .select({ id: folders.id })
    .from(folders)
    .where(and(eq(folders.grantId, grantId), eq(folders.parentId, folderId)))
    .limit(1)
    .get();
  return child !== undefined;
}

/** A folder's parent id: null at the top, undefined when the folder does not exist. */
export function parentOf(tx: Tx, grantId: string, folderId: string): string | null | undefined {
  return tx.select({ parentId: folders.parentId }).from(folders).where(ofGrant(grantId, folderId)).get()
    ?.parentId;
}
