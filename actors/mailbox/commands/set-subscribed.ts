import { and, eq } from "drizzle-orm";
import { folders } from "../../../src/store/schema.ts";
import { requireFolder } from "../state.ts";
import type { SetSubscribedCommand } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** IMAP SUBSCRIBE / UNSUBSCRIBE: the folder's `subscribed` mark (LSUB, LIST (SUBSCRIBED)). */
export async function setSubscribed(ctx: CommandContext, cmd: SetSubscribedCommand): Promise<void> {
  const { state, tx, now } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  await tx
    .update(folders)
    .set({ subscribed: cmd.subscribed, updatedAt: now })
    .where(and(eq(folders.grantId, state.grantId), eq(folders.id, folder.id)));
}
