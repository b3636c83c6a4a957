import { newId } from "../../src/ids.ts";
import { recordFolderChange } from "../../src/mailbox/writes/events.ts";
import { type FolderCounters, insertFolder } from "../../src/mailbox/writes/folders.ts";
import { saveUidValidityHigh } from "../../src/mailbox/writes/grants.ts";
import type { CommandContext } from "./command.ts";

/**
 * A new folder in the grant (IMAP, the API, or one the actor makes itself, like Review): its
 * UIDVALIDITY strictly above every one this grant used, deleted folders' included, so a
 * re-created folder never reuses one; its folder.created event and change.
 */
export async function addFolder(
  ctx: CommandContext,
  f: {
    name: string;
    parentId: string | null;
    subscribed: boolean;
    textColor?: string | null;
    backgroundColor?: string | null;
  },
): Promise<FolderCounters> {
  const { state, tx, now } = ctx;
  const id = newId();
  const uidValidity = Math.max(now, state.uidValidityHigh + 1);
  insertFolder(tx, { grantId: state.grantId, id, ...f, uidValidity, now });
  saveUidValidityHigh(tx, state.grantId, uidValidity);
  state.uidValidityHigh = uidValidity;
  const folder = { id, name: f.name, parentId: f.parentId, uidValidity, uidNext: 1 };
  state.folders.set(id, folder);
  await recordFolderChange(tx, state, "folder.created", { id, name: f.name, systemFolder: false });
  ctx.changes.push({ type: "folder.created", folderId: id, name: f.name });
  return folder;
}
