import { MailboxError } from "../../../src/domain/errors.ts";
import { recordFolderChange } from "../../../src/mailbox/writes/events.ts";
import {
  type FolderEdit,
  parentOf,
  updateFolder as updateFolderRow,
} from "../../../src/mailbox/writes/folders.ts";
import type { Tx } from "../../../src/store/db.ts";
import { command } from "../command.ts";
import { assertNameFree, isSystemFolder } from "../folder-rules.ts";
import { requireFolder } from "../state.ts";

export interface UpdateFolderCommand extends FolderEdit {
  folderId: string;
}

export interface UpdateFolderReply {
  id: string;
  name: string;
}

export const updateFolder = command<UpdateFolderCommand, UpdateFolderReply>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const name = cmd.name?.trim();
  if ((name !== undefined && name !== folder.name) || cmd.parentId !== undefined) {
    if (isSystemFolder(folder.id)) {
      throw new MailboxError("invalid", `${folder.name} is a system folder: it cannot be renamed or moved`);
    }
  }
  if (name !== undefined && !name) throw new MailboxError("invalid", "folder name must not be empty");
  if (cmd.parentId) {
    requireFolder(state, cmd.parentId);
    if (isWithin(tx, state.grantId, cmd.parentId, folder.id)) {
      throw new MailboxError("invalid", `${folder.name} cannot move under itself or one of its subfolders`);
    }
  }
  const newName = name ?? folder.name;
  const newParent = cmd.parentId === undefined ? folder.parentId : cmd.parentId;
  if (newName !== folder.name || newParent !== folder.parentId) {
    assertNameFree(state, newName, newParent, folder.id);
  }
  const { parentId, textColor, backgroundColor } = cmd;
  updateFolderRow(tx, state.grantId, folder.id, { name, parentId, textColor, backgroundColor }, now);
  folder.name = newName;
  folder.parentId = newParent;
  await recordFolderChange(tx, state, "folder.updated", {
    id: folder.id,
    name: folder.name,
    systemFolder: isSystemFolder(folder.id),
  });
  ctx.changes.push({ type: "folder.updated", folderId: folder.id, name: folder.name });
  return { id: folder.id, name: folder.name };
});

/** Whether `folderId` is `ancestorId` or lies below it (walks up the parent links). */
function isWithin(tx: Tx, grantId: string, folderId: string, ancestorId: string): boolean {
  const seen = new Set<string>();
  for (let id: string | null = folderId; id && !seen.has(id); ) {
    if (id === ancestorId) return true;
    seen.add(id);
    id = parentOf(tx, grantId, id) ?? null;
  }
  return false;
}
