import { setSubscribed as setSubscribedRow } from "../../../src/mailbox/writes/folders.ts";
import { command } from "../command.ts";
import { requireFolder } from "../state.ts";

export interface SetSubscribedCommand {
  folderId: string;
  subscribed: boolean;
}

/** IMAP SUBSCRIBE / UNSUBSCRIBE: the folder's `subscribed` mark (LSUB, LIST (SUBSCRIBED)). */
export const setSubscribed = command<SetSubscribedCommand, void>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  setSubscribedRow(tx, state.grantId, folder.id, cmd.subscribed, now);
});
