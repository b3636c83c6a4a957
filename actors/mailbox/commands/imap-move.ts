import { rowsByUid } from "../../../src/mailbox/writes/messages.ts";
import { changeMessage } from "../change-message.ts";
import { command } from "../command.ts";
import { requireFolder } from "../state.ts";

export interface MoveMessagesCommand {
  folderId: string;
  uids: number[];
  targetFolderId: string;
}

export interface MoveMessagesReply {
  moved: { fromUid: number; uid: number; id: string }[];
}

/**
 * IMAP MOVE: the same messages change folder (new UIDs there), all or nothing. A move into the
 * folder itself renumbers them (new UIDs, as Dovecot does): the client gets COPYUID, EXPUNGE
 * and EXISTS as for any move.
 */
export const moveMessages = command<MoveMessagesCommand, MoveMessagesReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  requireFolder(state, cmd.folderId);
  requireFolder(state, cmd.targetFolderId);
  const moved: MoveMessagesReply["moved"] = [];
  for (const row of rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids)) {
    const after = await changeMessage(ctx, row, { folderId: cmd.targetFolderId, renumber: true });
    moved.push({ fromUid: row.uid, uid: after.uid, id: row.id });
  }
  return { moved };
});
