import { and, eq, sql } from "drizzle-orm";
import { MailboxError } from "../../../src/domain/errors.ts";
import { recordEvent } from "../../../src/events/outbox.ts";
import { folders, messages } from "../../../src/store/schema.ts";
import { command } from "../command.ts";
import { isSystemFolder } from "../folder-rules.ts";
import { purgeMessage } from "../message-rows.ts";
import { requireFolder } from "../state.ts";

export interface DeleteFolderCommand {
  folderId: string;
}

/** Deletes a custom folder and the messages in it (as Nylas does); system folders stay. */
export const deleteFolder = command<DeleteFolderCommand, void>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  if (isSystemFolder(folder.id))
    throw new MailboxError("invalid", `${folder.name} is a system folder: it cannot be deleted`);
  const [child] = await tx
    .select({ id: folders.id })
    .from(folders)
    .where(and(eq(folders.grantId, state.grantId), eq(folders.parentId, folder.id)))
    .limit(1);
  if (child) throw new MailboxError("conflict", `${folder.name} has subfolders; delete or move them first`);
  const inside = await tx
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(eq(messages.grantId, state.grantId), eq(messages.folderId, folder.id)));
  for (const { row, seq } of inside) await purgeMessage(tx, state, { ...row, seq });
  await tx.delete(folders).where(and(eq(folders.grantId, state.grantId), eq(folders.id, folder.id)));
  state.folders.delete(folder.id);
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "folder.deleted",
    object: {
      id: folder.id,
      grant_id: state.grantId,
      name: folder.name,
      object: "folder",
      system_folder: false,
    },
  });
  ctx.changes.push({ type: "folder.deleted", folderId: folder.id });
});
