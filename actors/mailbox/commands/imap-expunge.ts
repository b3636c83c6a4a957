import { and, eq, sql } from "drizzle-orm";
import { FOLDER } from "../../../src/domain/system-folders.ts";
import { messages } from "../../../src/store/schema.ts";
import { changeMessage } from "../change-message.ts";
import { type CommandContext, command } from "../command.ts";
import { type Removal, removeMessage } from "../remove-message.ts";
import { rowsByUid } from "../rows-by-uid.ts";
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
      ? await tx
          .select({ row: messages, seq: sql<number>`${messages}.rowid` })
          .from(messages)
          .where(
            and(
              eq(messages.grantId, state.grantId),
              eq(messages.folderId, cmd.folderId),
              eq(messages.deleted, true),
            ),
          )
          .orderBy(messages.uid)
          .then((rows) => rows.map((r) => ({ ...r.row, seq: r.seq })))
      : (await rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids)).filter((r) => r.deleted);
  const expunged: ExpungeReply["expunged"] = [];
  const final = cmd.folderId === FOLDER.trash || cmd.folderId === FOLDER.drafts;
  for (const row of candidates) {
    if (final || (await inTrash(ctx, row.messageIdHeader))) {
      await removeMessage(ctx, row, true);
      expunged.push({ uid: row.uid, id: row.id, outcome: "deleted" });
    } else {
      await changeMessage(ctx, row, { folderId: FOLDER.trash, flags: { deleted: false } });
      expunged.push({ uid: row.uid, id: row.id, outcome: "trashed" });
    }
  }
  return { expunged };
});

async function inTrash(ctx: CommandContext, messageId: string | null): Promise<boolean> {
  if (!messageId) return false;
  const [found] = await ctx.tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.grantId, ctx.state.grantId),
        eq(messages.messageIdHeader, messageId),
        eq(messages.folderId, FOLDER.trash),
      ),
    )
    .limit(1);
  return found !== undefined;
}
