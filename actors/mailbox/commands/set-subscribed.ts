import { and, eq } from "drizzle-orm";
import { folders } from "../../../src/store/schema.ts";
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
  await tx
    .update(folders)
    .set({ subscribed: cmd.subscribed, updatedAt: now })
    .where(and(eq(folders.grantId, state.grantId), eq(folders.id, folder.id)));
});
