import type { FolderCounters } from "../../src/mailbox/writes/folders.ts";
import { addFolder } from "./add-folder.ts";
import type { CommandContext } from "./command.ts";

/**
 * The two folders of review (hold_for_review): `Review`, where held messages wait for a person,
 * and `Outbox`, where moving one releases it. Made in the unit that first needs them, like any
 * folder (folder.created, visible to IMAP clients).
 */
export const REVIEW_FOLDER = "Review";
export const OUTBOX_FOLDER = "Outbox";

/** Moving a held message into this folder releases it (any case, as the review watch reads it). */
export function isOutbox(folder: Pick<FolderCounters, "name">): boolean {
  return folder.name.toLowerCase() === OUTBOX_FOLDER.toLowerCase();
}

export async function folderNamed(ctx: CommandContext, name: string): Promise<FolderCounters> {
  const lower = name.toLowerCase();
  for (const f of ctx.state.folders.values()) if (f.name.toLowerCase() === lower) return f;
  return makeFolder(ctx, name);
}

function makeFolder(ctx: CommandContext, name: string): Promise<FolderCounters> {
  return addFolder(ctx, { name, parentId: null, subscribed: true });
}
