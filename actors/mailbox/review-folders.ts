import { newId } from "../../src/ids.ts";
import { recordFolderChange } from "../../src/mailbox/writes/events.ts";
import { type FolderCounters, insertFolder } from "../../src/mailbox/writes/folders.ts";
import type { CommandContext } from "./command.ts";

/**
 * The two folders of review (hold_for_review): `Review`, where held messages wait for a person,
 * and `Outbox`, where moving one releases it. Made in the unit that first needs them, like any
 * folder (folder.created, visible to IMAP clients).
 */
export const REVIEW_FOLDER = "Review";
export const OUTBOX_FOLDER = "Outbox";

export async function folderNamed(ctx: CommandContext, name: string): Promise<FolderCounters> {
  const lower = name.toLowerCase();
  for (const f of ctx.state.folders.values()) if (f.name.toLowerCase() === lower) return f;
  return makeFolder(ctx, name);
}

async function makeFolder(ctx: CommandContext, name: string): Promise<FolderCounters> {
  const { state, tx, now } = ctx;
  const id = newId();
  // Strictly above every UIDVALIDITY this grant used, as createFolder does.
  const uidValidity = Math.max(now, ...[...state.folders.values()].map((f) => f.uidValidity + 1));
  insertFolder(tx, { grantId: state.grantId, id, name, parentId: null, uidValidity, now });
  const folder = { id, name, uidValidity, uidNext: 1 };
  state.folders.set(id, folder);
  await recordFolderChange(tx, state, "folder.created", { id, name, systemFolder: false });
  ctx.changes.push({ type: "folder.created", folderId: id, name });
  return folder;
}
