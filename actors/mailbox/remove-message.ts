import { FOLDER } from "../../src/domain/system-folders.ts";
import { recordMessageDeleted } from "../../src/mailbox/writes/events.ts";
import type { MessageRecord } from "../../src/mailbox/writes/messages.ts";
import { changeMessage } from "./change-message.ts";
import type { CommandContext } from "./command.ts";
import { purgeMessage } from "./purge-message.ts";
import { nextModseq } from "./state.ts";

export type Removal = "trashed" | "deleted";

/**
 * Removes a message already read in this transaction: outside Trash it moves to Trash; in Trash,
 * or `hard`, it is deleted for good (message.deleted).
 */
export async function removeMessage(ctx: CommandContext, m: MessageRecord, hard: boolean): Promise<Removal> {
  const { state, tx } = ctx;
  if (!hard && m.folderId !== FOLDER.trash) {
    await changeMessage(ctx, m, { folderId: FOLDER.trash });
    return "trashed";
  }
  purgeMessage(tx, state, m);
  const modseq = nextModseq(state);
  await recordMessageDeleted(tx, state, m.id);
  ctx.changes.push({ type: "message.deleted", folderId: m.folderId, messageId: m.id, uid: m.uid, modseq });
  return "deleted";
}
