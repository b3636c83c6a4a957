import { requireFolder } from "../state.ts";
import type { MoveMessagesCommand, MoveMessagesReply } from "../types.ts";
import type { CommandContext } from "./context.ts";
import { rowsByUid } from "./imap-rows.ts";
import { changeMessage } from "./update-message.ts";

/** IMAP MOVE: the same messages change folder (new UIDs there), all or nothing. */
export async function moveMessages(
  ctx: CommandContext,
  cmd: MoveMessagesCommand,
): Promise<MoveMessagesReply> {
  const { state, tx } = ctx;
  requireFolder(state, cmd.folderId);
  requireFolder(state, cmd.targetFolderId);
  const moved: MoveMessagesReply["moved"] = [];
  if (cmd.folderId === cmd.targetFolderId) return { moved };
  for (const row of await rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids)) {
    const after = await changeMessage(ctx, row, { folderId: cmd.targetFolderId });
    moved.push({ fromUid: row.uid, uid: after.uid, id: row.id });
  }
  return { moved };
}
