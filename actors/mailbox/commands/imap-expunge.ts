import { FOLDER } from "../../../src/domain/system-folders.ts";
import { deletedInFolder, messageWithMessageId, rowsByUid } from "../../../src/mailbox/writes/messages.ts";
import { changeMessage } from "../change-message.ts";
import { type CommandContext, command } from "../command.ts";
import { type Removal, removeMessage } from "../remove-message.ts";
import { requireFolder } from "../state.ts";

export interface ExpungeCommand {
  folderId: string;
  uids?: number[];
}

export interface ExpungeReply {
  expunged: { uid: number; id: string; outcome: Removal }[];
}

/**
 * IMAP EXPUNGE of the folder's \Deleted messages (only those of `uids`, for UID EXPUNGE).
 * Outside Trash a message moves to Trash (its \Deleted flag cleared there), unless a message
 * with its Message-ID is already in Trash (a client that deletes by COPY to Trash + EXPUNGE):
 * then it is deleted, so Trash holds one copy. In Trash, and in Drafts (clients re-save a draft
 * as a new message and expunge the old one; API drafts are deleted for good too), it is deleted.
 */
export const expunge = command<ExpungeCommand, ExpungeReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  requireFolder(state, cmd.folderId);
  const candidates =
    cmd.uids === undefined
      ? deletedInFolder(tx, state.grantId, cmd.folderId)
      : rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids).filter((r) => r.deleted);
  const expunged: ExpungeReply["expunged"] = [];
  const final = cmd.folderId === FOLDER.trash || cmd.folderId === FOLDER.drafts;
  for (const row of candidates) {
    if (final || inTrash(ctx, row.messageIdHeader)) {
      await removeMessage(ctx, row, true);
      expunged.push({ uid: row.uid, id: row.id, outcome: "deleted" });
    } else {
      await changeMessage(ctx, row, { folderId: FOLDER.trash, flags: { deleted: false } });
      expunged.push({ uid: row.uid, id: row.id, outcome: "trashed" });
    }
  }
  return { expunged };
});

/** Whether Trash already holds a message with this Message-ID. */
function inTrash(ctx: CommandContext, messageId: string | null): boolean {
  return (
    !!messageId && messageWithMessageId(ctx.tx, ctx.state.grantId, FOLDER.trash, messageId) !== undefined
  );
}
