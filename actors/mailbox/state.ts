import { eq, sql } from "drizzle-orm";
import { MailboxError } from "../../src/domain/errors.ts";
import { folders, grants, messageReferences } from "../../src/store/schema.ts";
import type { Db, Tx } from "../../src/store/store.ts";

export interface FolderState {
  id: string;
  name: string;
  uidValidity: number;
  uidNext: number;
}

/**
 * The counters the actor owns. They are advanced while a batch executes and persisted by the
 * batch's last unit, in the same transaction; after any failure the actor reloads them.
 */
export interface MailboxState {
  grantId: string;
  applicationId: string;
  highestModseq: number;
  storageUsed: number;
  storageQuota: number;
  folders: Map<string, FolderState>;
  /** Folders whose uidNext changed in the current batch. */
  dirtyFolders: Set<string>;
  /**
   * Whether any message of the grant has ever referred to another (In-Reply-To, References).
   * Until one has, no stored message can refer to a new one, and threading skips that look-up:
   * most of an agent's inbox (sign-ups, codes, notifications) refers to nothing.
   */
  anyReferences: boolean;
}

export async function loadState(db: Db, grantId: string): Promise<MailboxState> {
  const grant = await db.query.grants.findFirst({ where: eq(grants.id, grantId) });
  if (!grant) throw new MailboxError("not_found", `grant ${grantId} does not exist`);
  const rows = await db.select().from(folders).where(eq(folders.grantId, grantId));
  return {
    grantId,
    applicationId: grant.applicationId,
    highestModseq: grant.highestModseq,
    storageUsed: grant.storageUsedBytes,
    storageQuota: grant.storageQuotaBytes,
    folders: new Map(
      rows.map((f) => [f.id, { id: f.id, name: f.name, uidValidity: f.uidValidity, uidNext: f.uidNext }]),
    ),
    dirtyFolders: new Set(),
    anyReferences: await hasReferences(db, grantId),
  };
}

async function hasReferences(db: Db, grantId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(messageReferences)
    .where(eq(messageReferences.grantId, grantId))
    .limit(1);
  return row !== undefined;
}

export function nextModseq(state: MailboxState): number {
  state.highestModseq += 1;
  return state.highestModseq;
}

export function nextUid(state: MailboxState, folder: FolderState): number {
  const uid = folder.uidNext;
  folder.uidNext += 1;
  state.dirtyFolders.add(folder.id);
  return uid;
}

export function requireFolder(state: MailboxState, folderId: string): FolderState {
  const folder = state.folders.get(folderId);
  if (!folder) throw new MailboxError("not_found", `folder ${folderId} does not exist`);
  return folder;
}

/** The batch's final unit: write the advanced counters (plain statements: it runs every batch). */
export function persistCounters(tx: Tx, state: MailboxState): void {
  tx.$client
    .prepare("UPDATE grants SET highest_modseq = ?, storage_used_bytes = ? WHERE id = ?")
    .run(state.highestModseq, state.storageUsed, state.grantId);
  const folderUpdate = tx.$client.prepare(
    "UPDATE folders SET uid_next = max(uid_next, ?) WHERE grant_id = ? AND id = ?",
  );
  for (const id of state.dirtyFolders) {
    const folder = state.folders.get(id);
    if (folder) folderUpdate.run(folder.uidNext, state.grantId, id);
  }
  state.dirtyFolders.clear();
}
