import type { ImapFlow, ListResponse } from "imapflow";
import { FOLDER_NAME_DELIMITER as FOLDER } from "../../domain/folder-name.ts";
import { listFolders } from "../../mailbox/folders.ts";
import { folderSyncStates, forgetFolder, localMessagesOfPath } from "../provider-index.ts";
import type { SyncContext } from "./sync-context.ts";

/** A provider folder the sync keeps, and the local folder it fills. */
export interface MappedFolder {
  path: string;
  folderId: string;
}

/** Special-use attributes (RFC 6154) → the system folder that stands for it locally. */
const SYSTEM_BY_SPECIAL_USE: Record<string, string> = {
  "\\Inbox": "inbox",
  "\\Sent": "sent",
  "\\Drafts": "drafts",
  "\\Trash": "trash",
  "\\Junk": "junk",
  "\\Archive": "archive",
};

/** Virtual folders that show messages another folder holds: synced there, not twice. */
const SKIPPED_SPECIAL_USE = new Set(["\\All", "\\Flagged", "\\Important"]);

/**
 * The provider's folders mapped to local ones: special-use folders to the system folders (the
 * first of each kind), the others created as folders named by their path ("/" between levels).
 * INBOX comes first and Sent second, so the initial sync fills what an agent reads first.
 */
export async function mapFolders(ctx: SyncContext, client: ImapFlow): Promise<MappedFolder[]> {
  const known = new Map(folderSyncStates(ctx.store, ctx.grantId).map((s) => [s.folderPath, s.folderId]));
  const listed = (await client.list()).filter(selectable);
  const taken = new Set<string>();
  const mapped: MappedFolder[] = [];
  for (const box of listed.sort(byPriority)) {
    const folderId = known.get(box.path) ?? (await localFolderFor(ctx, box, taken));
    if (!folderId || (taken.has(folderId) && !known.has(box.path))) continue;
    taken.add(folderId);
    mapped.push({ path: box.path, folderId });
  }
  return mapped;
}

function selectable(box: ListResponse): boolean {
  if (box.flags.has("\\Noselect") || box.flags.has("\\NonExistent")) return false;
  return !(box.specialUse && SKIPPED_SPECIAL_USE.has(box.specialUse));
}

function systemFolderOf(box: ListResponse): string | undefined {
  if (box.path.toUpperCase() === "INBOX") return FOLDER_INBOX;
  return box.specialUse ? SYSTEM_BY_SPECIAL_USE[box.specialUse] : undefined;
}

const FOLDER_INBOX = "inbox";

function byPriority(a: ListResponse, b: ListResponse): number {
  return rank(a) - rank(b) || a.path.localeCompare(b.path);
}

function rank(box: ListResponse): number {
  const system = systemFolderOf(box);
  if (system === "inbox") return 0;
  if (system === "sent") return 1;
  return system ? 2 : 3;
}

async function localFolderFor(
  ctx: SyncContext,
  box: ListResponse,
  taken: Set<string>,
): Promise<string | null> {
  const system = systemFolderOf(box);
  if (system) return taken.has(system) ? null : system;
  const name = box.delimiter ? box.path.split(box.delimiter).join(FOLDER) : box.path;
  const existing = listFolders(ctx.store, ctx.grantId).find((f) => f.row.name === name);
  if (existing) return existing.row.id;
  try {
    return (await ctx.mailboxes.ask(ctx.grantId, "createFolder", { name })).id;
  } catch (err) {
    ctx.log.warn(
      { grant_id: ctx.grantId, folder: box.path, err: String(err) },
      "connected sync: provider folder not mirrored",
    );
    return null;
  }
}

/**
 * Provider folders the sync knew that the provider no longer lists (deleted, or renamed: the new
 * name is synced as a folder of its own): their local copies are deleted (message.deleted) and
 * their sync state forgotten. The local folder stays (an agent may have put mail there).
 */
export async function forgetVanishedFolders(ctx: SyncContext, mapped: MappedFolder[]): Promise<void> {
  const listed = new Set(mapped.map((f) => f.path));
  for (const state of folderSyncStates(ctx.store, ctx.grantId)) {
    if (listed.has(state.folderPath)) continue;
    const removed = localMessagesOfPath(ctx.store, ctx.grantId, state.folderPath);
    if (removed.length > 0) await ctx.mailboxes.ask(ctx.grantId, "applyProviderChanges", { removed });
    await forgetFolder(ctx.store, ctx.grantId, state.folderPath);
  }
}
