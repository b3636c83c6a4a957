import { MailboxError } from "../../../src/domain/errors.ts";
import { dropSubscription } from "../../../src/mailbox/writes/folders.ts";
import { addFolder } from "../add-folder.ts";
import { command } from "../command.ts";
import { assertNameFree } from "../folder-rules.ts";
import { requireFolder } from "../state.ts";

export interface CreateFolderCommand {
  name: string;
  parentId?: string | null;
  /**
   * The folder's IMAP name when IMAP creates it: the folder is then subscribed only if that name
   * still was (a subscription outlives its folder); otherwise a new folder is subscribed.
   */
  imapName?: string;
  /** Set with the folder, so its creation is one change (one folder.created, no folder.updated). */
  textColor?: string | null;
  backgroundColor?: string | null;
}

export interface CreateFolderReply {
  id: string;
  name: string;
  uidValidity: number;
}

export const createFolder = command<CreateFolderCommand, CreateFolderReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const name = cmd.name.trim();
  if (!name) throw new MailboxError("invalid", "folder name must not be empty");
  const parentId = cmd.parentId ?? null;
  if (parentId) requireFolder(state, parentId);
  assertNameFree(state, name, parentId);
  const subscribed = cmd.imapName === undefined || dropSubscription(tx, state.grantId, cmd.imapName);
  const folder = await addFolder(ctx, {
    name,
    parentId,
    subscribed,
    textColor: cmd.textColor ?? null,
    backgroundColor: cmd.backgroundColor ?? null,
  });
  const { id, uidValidity } = folder;
  return { id, name, uidValidity };
});
