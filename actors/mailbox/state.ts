import { MailboxError } from "../../src/domain/errors.ts";
import { type FolderCounters, folderCounters, saveUidNext } from "../../src/mailbox/writes/folders.ts";
import { grantCounters, saveGrantCounters } from "../../src/mailbox/writes/grants.ts";
import { hasReferences } from "../../src/mailbox/writes/threads.ts";
import type { Db, Tx } from "../../src/store/db.ts";

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
  /** The highest UIDVALIDITY the grant ever gave a folder: a new folder's is above it. */
  uidValidityHigh: number;
  folders: Map<string, FolderCounters>;
  /** Folders whose uidNext changed in the current batch. */
  dirtyFolders: Set<string>;
  /**
   * Whether any message of the grant has ever referred to another (In-Reply-To, References).
   * Until one has, no stored message can refer to a new one, and threading skips that look-up:
   * most of an agent's inbox (sign-ups, codes, notifications) refers to nothing.
   */
  anyReferences: boolean;
}

export function loadState(db: Db, grantId: string): MailboxState {
  const grant = grantCounters(db, grantId);
  if (!grant) throw new MailboxError("not_found", `grant ${grantId} does not exist`);
  const folders = folderCounters(db, grantId);
  return {
    grantId,
    ...grant,
    uidValidityHigh: Math.max(grant.uidValidityHigh, ...folders.map((f) => f.uidValidity)),
    folders: new Map(folders.map((f) => [f.id, f])),
    dirtyFolders: new Set(),
    anyReferences: hasReferences(db, grantId),
  };
}

export function nextModseq(state: MailboxState): number {
  state.highestModseq += 1;
  return state.highestModseq;
}

export function nextUid(state: MailboxState, folder: FolderCounters): number {
  const uid = folder.uidNext;
  folder.uidNext += 1;
  state.dirtyFolders.add(folder.id);
  return uid;
}

export function requireFolder(state: MailboxState, folderId: string): FolderCounters {
  const folder = state.folders.get(folderId);
  if (!folder) throw new MailboxError("not_found", `folder ${folderId} does not exist`);
  return folder;
}

/** The batch's final unit: write the advanced counters. */
export function persistCounters(tx: Tx, state: MailboxState): void {
  saveGrantCounters(tx, state.grantId, state);
  const dirty = [...state.dirtyFolders].flatMap((id) => state.folders.get(id) ?? []);
  saveUidNext(tx, state.grantId, dirty);
  state.dirtyFolders.clear();
}
