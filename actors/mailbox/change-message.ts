import { eq } from "drizzle-orm";
import { MailboxError } from "../../src/domain/errors.ts";
import { type Flags, flagsOf } from "../../src/domain/flags.ts";
import { type MessageRow, messages } from "../../src/store/schema.ts";
import type { CommandContext } from "./command.ts";
import { recordMessageUpdated } from "./message-rows.ts";
import { nextModseq, nextUid, requireFolder } from "./state.ts";

const MAX_METADATA_PAIRS = 50;

/** What may change about one message at once (PUT /messages): flags, folder (a move), metadata. */
export interface MessageEdit {
  flags?: Partial<Omit<Flags, "keywords">>;
  folderId?: string;
  metadata?: Record<string, string>;
}

/** Where a message is after a change, and its flags. */
export interface ChangedMessage {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
  flags: Flags;
}

/**
 * Changes one message already read in this transaction (PUT /messages, IMAP MOVE and EXPUNGE, a
 * reply marking \Answered); a move gives it a new UID in its new folder.
 */
export async function changeMessage(
  ctx: CommandContext,
  before: MessageRow,
  edit: MessageEdit,
): Promise<ChangedMessage> {
  const { state, tx, now } = ctx;
  const target = edit.folderId === undefined ? null : requireFolder(state, edit.folderId);
  if (edit.metadata && Object.keys(edit.metadata).length > MAX_METADATA_PAIRS) {
    throw new MailboxError("invalid", `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`);
  }
  const flags = { ...flagsOf(before), ...edit.flags };
  const moving = target !== null && target.id !== before.folderId;
  const modseq = nextModseq(state);
  const uid = moving && target ? nextUid(state, target) : before.uid;
  const folderId = target?.id ?? before.folderId;
  await tx
    .update(messages)
    .set({
      seen: flags.seen,
      flagged: flags.flagged,
      answered: flags.answered,
      draft: flags.draft,
      deleted: flags.deleted,
      folderId,
      uid,
      modseq,
      metadataJson: edit.metadata ? JSON.stringify(edit.metadata) : before.metadataJson,
      updatedAt: now,
    })
    .where(eq(messages.id, before.id));
  await recordMessageUpdated(tx, state, { id: before.id, folderId, flags });
  ctx.changes.push(
    moving
      ? {
          type: "message.moved",
          messageId: before.id,
          fromFolderId: before.folderId,
          fromUid: before.uid,
          folderId,
          uid,
          modseq,
        }
      : { type: "message.updated", folderId, messageId: before.id, uid, modseq, flags },
  );
  return { id: before.id, folderId, uid, modseq, flags };
}
