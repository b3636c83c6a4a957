import { FOLDER } from "../../../src/accounts/system-folders.ts";
import { recordEvent } from "../../../src/events/outbox.ts";
import { purgeMessage, requireMessage } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import type { DeleteMessageCommand, DeleteMessageReply } from "../types.ts";
import type { CommandContext } from "./context.ts";
import { updateMessage } from "./update-message.ts";

/** Outside Trash: moves to Trash. In Trash, or `hard`: deletes for good (message.deleted). */
export async function deleteMessage(
  ctx: CommandContext,
  cmd: DeleteMessageCommand,
): Promise<DeleteMessageReply> {
  const { state, tx } = ctx;
  const m = await requireMessage(tx, state, cmd.messageId);
  if (!cmd.hard && m.folderId !== FOLDER.trash) {
    await updateMessage(ctx, { kind: "updateMessage", messageId: m.id, folderId: FOLDER.trash });
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
