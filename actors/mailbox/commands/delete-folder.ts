import { MailboxError } from "../../../src/domain/errors.ts";
import { recordFolderChange } from "../../../src/mailbox/writes/events.ts";
import {
  deleteFolder as deleteFolderRow,
  hasSubfolders,
  isSubscribed,
  keepSubscription,
} from "../../../src/mailbox/writes/folders.ts";
import { messagesInFolder } from "../../../src/mailbox/writes/messages.ts";
import { command } from "../command.ts";
import { isSystemFolder } from "../folder-rules.ts";
import { purgeMessage } from "../purge-message.ts";
import { requireFolder } from "../state.ts";

export interface DeleteFolderCommand {
  folderId: string;
  /** The folder's IMAP name when IMAP deletes it: a subscription to it outlives the folder. */
  imapName?: string;
}

/** Deletes a custom folder and the messages in it (as Nylas does); system folders stay. */
export const deleteFolder = command<DeleteFolderCommand, void>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  if (isSystemFolder(folder.id))
    throw new MailboxError("invalid", `${folder.name} is a system folder: it cannot be deleted`);
  if (hasSubfolders(tx, state.grantId, folder.id))
    throw new MailboxError("conflict", `${folder.name} has subfolders; delete or move them first`);
  for (const m of messagesInFolder(tx, state.grantId, folder.id)) purgeMessage(tx, state, m);
  if (cmd.imapName !== undefined && isSubscribed(tx, state.grantId, folder.id)) {
    keepSubscription(tx, state.grantId, cmd.imapName);
  }
  deleteFolderRow(tx, state.grantId, folder.id);
  state.folders.delete(folder.id);
  await recordFolderChange(tx, state, "folder.deleted", {
    id: folder.id,
    name: folder.name,
    systemFolder: false,
  });
  ctx.changes.push({ type: "folder.deleted", folderId: folder.id });
});
