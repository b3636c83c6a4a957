import { FOLDER } from "../../src/domain/system-folders.ts";
import { recordEvent } from "../../src/events/outbox.ts";
import type { MessageRow } from "../../src/store/schema.ts";
import { changeMessage } from "./change-message.ts";
import type { CommandContext } from "./command.ts";
import { purgeMessage } from "./message-rows.ts";
import { nextModseq } from "./state.ts";

export type Removal = "trashed" | "deleted";

/**
 * Removes a message already read in this transaction: outside Trash it moves to Trash; in Trash,
 * or `hard`, it is deleted for good (message.deleted).
 */
export async function removeMessage(
  ctx: CommandContext,
  m: MessageRow & { seq: number },
  hard: boolean,
): Promise<Removal> {
  const { state, tx } = ctx;
  if (!hard && m.folderId !== FOLDER.trash) {
    await changeMessage(ctx, m, { folderId: FOLDER.trash });
    return "trashed";
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
  return "deleted";
}
