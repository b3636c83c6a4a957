import { and, eq } from "drizzle-orm";
import { MailboxError } from "../../../src/domain/errors.ts";
import { recordEvent } from "../../../src/events/outbox.ts";
import { folders } from "../../../src/store/schema.ts";
import type { Tx } from "../../../src/store/store.ts";
import { command } from "../command.ts";
import { assertNameFree, isSystemFolder } from "../folder-rules.ts";
import { requireFolder } from "../state.ts";

export interface UpdateFolderCommand {
  folderId: string;
  name?: string;
  parentId?: string | null;
  textColor?: string | null;
  backgroundColor?: string | null;
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
  if (name !== undefined && name !== folder.name) {
    if (!name) throw new MailboxError("invalid", "folder name must not be empty");
    assertNameFree(state, name, folder.id);
  }
  if (cmd.parentId) {
    requireFolder(state, cmd.parentId);
    if (await isWithin(tx, state.grantId, cmd.parentId, folder.id)) {
      throw new MailboxError("invalid", `${folder.name} cannot move under itself or one of its subfolders`);
    }
  }
  await tx
    .update(folders)
    .set({
      ...(name !== undefined && { name }),
      ...(cmd.parentId !== undefined && { parentId: cmd.parentId }),
      ...(cmd.textColor !== undefined && { textColor: cmd.textColor }),
      ...(cmd.backgroundColor !== undefined && { backgroundColor: cmd.backgroundColor }),
      updatedAt: now,
    })
    .where(and(eq(folders.grantId, state.grantId), eq(folders.id, folder.id)));
  if (name !== undefined) folder.name = name;
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "folder.updated",
    object: {
      id: folder.id,
      grant_id: state.grantId,
      name: folder.name,
      object: "folder",
      system_folder: isSystemFolder(folder.id),
    },
  });
  ctx.changes.push({ type: "folder.updated", folderId: folder.id, name: folder.name });
  return { id: folder.id, name: folder.name };
});

/** Whether `folderId` is `ancestorId` or lies below it (walks up the parent links). */
async function isWithin(tx: Tx, grantId: string, folderId: string, ancestorId: string): Promise<boolean> {
  const seen = new Set<string>();
  for (let id: string | null = folderId; id && !seen.has(id); ) {
    if (id === ancestorId) return true;
    seen.add(id);
    const [row] = await tx
      .select({ parentId: folders.parentId })
      .from(folders)
      .where(and(eq(folders.grantId, grantId), eq(folders.id, id)));
    id = row?.parentId ?? null;
  }
  return false;
}
