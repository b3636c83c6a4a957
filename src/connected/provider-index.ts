import { and, eq } from "drizzle-orm";
import { placeMessage } from "../mailbox/writes/provider-locations.ts";
import { type ProviderFolderRow, providerFolders, providerMessages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Where a connected grant's local messages live at the provider, and how far each provider folder's
 * sync has got. A message's location is written in the same unit that stores it
 * (src/mailbox/writes/provider-locations.ts), so a sync killed mid-way resumes without duplicating
 * or missing a message; this module reads those rows and keeps the per-folder state.
 */

/** A message's place at the provider: a UID is meaningful only under its folder's UIDVALIDITY. */
export interface ProviderLocation {
  folderPath: string;
  uidValidity: number;
  uid: number;
}

export function providerLocationOf(
  store: Store,
  grantId: string,
  messageId: string,
): ProviderLocation | undefined {
  return (
    store.read
      .select({
        folderPath: providerMessages.folderPath,
        uidValidity: providerMessages.uidValidity,
        uid: providerMessages.uid,
      })
      .from(providerMessages)
      .where(and(eq(providerMessages.grantId, grantId), eq(providerMessages.messageId, messageId)))
      .get() ?? undefined
  );
}

export function localMessageIdAt(
  store: Store,
  grantId: string,
  folderPath: string,
  uidValidity: number,
  uid: number,
): string | undefined {
  return (
    store.read
      .select({ id: providerMessages.messageId })
      .from(providerMessages)
      .where(
        and(
          eq(providerMessages.grantId, grantId),
          eq(providerMessages.folderPath, folderPath),
          eq(providerMessages.uidValidity, uidValidity),
          eq(providerMessages.uid, uid),
        ),
      )
      .get()?.id ?? undefined
  );
}

/** Every local message a provider folder holds under a UIDVALIDITY, by UID. */
export function localMessagesOfFolder(
  store: Store,
  grantId: string,
  folderPath: string,
  uidValidity: number,
): Map<number, string> {
  const rows = store.read
    .select({ uid: providerMessages.uid, id: providerMessages.messageId })
    .from(providerMessages)
    .where(
      and(
        eq(providerMessages.grantId, grantId),
        eq(providerMessages.folderPath, folderPath),
        eq(providerMessages.uidValidity, uidValidity),
      ),
    )
    .all();
  return new Map(rows.map((r) => [r.uid, r.id]));
}

export type FolderSyncState = ProviderFolderRow;

export function folderSyncStates(store: Store, grantId: string): FolderSyncState[] {
  return store.read.select().from(providerFolders).where(eq(providerFolders.grantId, grantId)).all();
}

export function folderSyncState(
  store: Store,
  grantId: string,
  folderPath: string,
): FolderSyncState | undefined {
  return (
    store.read
      .select()
      .from(providerFolders)
      .where(and(eq(providerFolders.grantId, grantId), eq(providerFolders.folderPath, folderPath)))
      .get() ?? undefined
  );
}

/** Creates or replaces a provider folder's sync state. */
export async function saveFolderSyncState(store: Store, state: FolderSyncState): Promise<void> {
  const { grantId, folderPath, ...rest } = state;
  await store.writer.submit((tx) =>
    tx
      .insert(providerFolders)
      .values(state)
      .onConflictDoUpdate({ target: [providerFolders.grantId, providerFolders.folderPath], set: rest })
      .run(),
  );
}

export async function forgetFolder(store: Store, grantId: string, folderPath: string): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .delete(providerFolders)
      .where(and(eq(providerFolders.grantId, grantId), eq(providerFolders.folderPath, folderPath)))
      .run(),
  );
}

/**
 * Local messages found again at the provider under a new UIDVALIDITY: only their place changes
 * (the message, its flags and its id stay; no webhook).
 */
export async function relocateMessages(
  store: Store,
  grantId: string,
  folderPath: string,
  uidValidity: number,
  moves: { messageId: string; uid: number }[],
): Promise<void> {
  if (moves.length === 0) return;
  await store.writer.submit((tx) => {
    for (const { messageId, uid } of moves)
      placeMessage(tx, grantId, messageId, { folderPath, uidValidity, uid });
  });
}

/** Every local message a provider folder holds, whatever its UIDVALIDITY. */
export function localMessagesOfPath(store: Store, grantId: string, folderPath: string): string[] {
  return store.read
    .select({ id: providerMessages.messageId })
    .from(providerMessages)
    .where(and(eq(providerMessages.grantId, grantId), eq(providerMessages.folderPath, folderPath)))
    .all()
    .map((r) => r.id);
}
