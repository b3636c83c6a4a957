import { FOLDER } from "../../../src/domain/system-folders.ts";
import { recordEvent } from "../../../src/events/outbox.ts";
import type { MessageRow } from "../../../src/store/schema.ts";
import { purgeMessage, requireMessage } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import type { DeleteMessageCommand, DeleteMessageReply } from "../types.ts";
import type { CommandContext } from "./context.ts";
import { changeMessage } from "./update-message.ts";

/** Outside Trash: moves to Trash. In Trash, or `hard`: deletes for good (message.deleted). */
export async function deleteMessage(
  ctx: CommandContext,
  cmd: DeleteMessageCommand,
): Promise<DeleteMessageReply> {
  return removeMessage(ctx, await requireMessage(ctx.tx, ctx.state, cmd.messageId), cmd.hard);
}

/** deleteMessage of a message already read in this transaction (IMAP EXPUNGE reads many at once). */
export async function removeMessage(
  ctx: CommandContext,
  m: MessageRow & { seq: number },
  hard: boolean,
): Promise<DeleteMessageReply> {
  const { state, tx } = ctx;
  if (!hard && m.folderId !== FOLDER.trash) {
    await changeMessage(ctx, m, { folderId: FOLDER.trash });
    return { outcome: "trashed" };
  }
  await purgeMessage(tx, state, m);
  const modseq = nextModseq(state);
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "message.deleted",
    object: { id: m.id, grant_id: state.grantId, object: "message" },
  });
  ctx.changes.push({ type: "message.deleted", folderId: m.folderId, messageId: m.id, uid: m.uid, modseq });
  return { outcome: "deleted" };
}
