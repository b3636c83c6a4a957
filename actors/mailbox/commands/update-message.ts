import { eq } from "drizzle-orm";
import { MailboxError } from "../../../src/domain/errors.ts";
import { flagsOf } from "../../../src/domain/flags.ts";
import { type MessageRow, messages } from "../../../src/store/schema.ts";
import { recordMessageUpdated, requireMessage } from "../message-rows.ts";
import { nextModseq, nextUid, requireFolder } from "../state.ts";
import type { UpdateMessageCommand } from "../types.ts";
import type { CommandContext } from "./context.ts";

const MAX_METADATA_PAIRS = 50;

/** Flags, folder and metadata of one message; a move gives it a new UID in its new folder. */
export async function updateMessage(ctx: CommandContext, cmd: UpdateMessageCommand): Promise<MessageRow> {
  return changeMessage(ctx, await requireMessage(ctx.tx, ctx.state, cmd.messageId), cmd);
}

/** updateMessage of a message already read in this transaction (IMAP MOVE and EXPUNGE read many at once). */
export async function changeMessage(
  ctx: CommandContext,
  row: MessageRow & { seq?: number },
  cmd: Omit<UpdateMessageCommand, "kind" | "messageId">,
): Promise<MessageRow> {
  const { state, tx, now } = ctx;
  const { seq: _seq, ...before } = row;
  const target = cmd.folderId === undefined ? null : requireFolder(state, cmd.folderId);
  if (cmd.metadata && Object.keys(cmd.metadata).length > MAX_METADATA_PAIRS) {
    throw new MailboxError("invalid", `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`);
  }
  const flags = { ...flagsOf(before), ...cmd.flags };
  const moving = target !== null && target.id !== before.folderId;
  const modseq = nextModseq(state);
  const uid = moving && target ? nextUid(state, target) : before.uid;
  const changes = {
    seen: flags.seen,
    flagged: flags.flagged,
    answered: flags.answered,
    draft: flags.draft,
    deleted: flags.deleted,
    folderId: target?.id ?? before.folderId,
    uid,
    modseq,
    metadataJson: cmd.metadata ? JSON.stringify(cmd.metadata) : before.metadataJson,
    updatedAt: now,
  };
  await tx.update(messages).set(changes).where(eq(messages.id, before.id));
  const after: MessageRow = { ...before, ...changes };
  await recordMessageUpdated(tx, state, { id: before.id, folderId: after.folderId, flags });
  ctx.changes.push(
    moving
      ? {
          type: "message.moved",
          messageId: before.id,
          fromFolderId: before.folderId,
          fromUid: before.uid,
          folderId: after.folderId,
          uid,
          modseq,
        }
      : { type: "message.updated", folderId: after.folderId, messageId: before.id, uid, modseq, flags },
  );
  return after;
}
