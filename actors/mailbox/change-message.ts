import { eq } from "drizzle-orm";
import { type Flags, flagsOf, sameFlags } from "../../src/domain/flags.ts";
import { type MessageRow, messages } from "../../src/store/schema.ts";
import type { CommandContext } from "./command.ts";
import { recordMessageUpdated } from "./message-rows.ts";
import { nextModseq, nextUid, requireFolder } from "./state.ts";

/** What a change makes of a message; what it does not name stays as it is. */
export interface MessageEdit {
  flags?: Partial<Flags>;
  /** Another folder is a move: a new UID there. */
  folderId?: string;
  metadata?: Record<string, string>;
}

/** A message after a change, and whether the change changed anything. */
export interface ChangedMessage {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
  flags: Flags;
  changed: boolean;
}

/**
 * The one way a stored message changes (PUT /messages, IMAP STORE, MOVE and EXPUNGE, a reply
 * marking \Answered, a move to Trash). RFC 7162 §3.1: a message's MODSEQ moves when, and only
 * when, its state changes; a change that changes nothing writes nothing and announces nothing.
 * `modseq` gives the new MODSEQ: by default the next one, or one shared by every message a
 * command changes (IMAP STORE).
 */
export async function changeMessage(
  ctx: CommandContext,
  before: MessageRow,
  edit: MessageEdit,
  modseq: () => number = () => nextModseq(ctx.state),
): Promise<ChangedMessage> {
  const { state, tx, now } = ctx;
  const target = edit.folderId === undefined ? null : requireFolder(state, edit.folderId);
  const flagsBefore = flagsOf(before);
  const flags = { ...flagsBefore, ...edit.flags };
  const metadataJson = edit.metadata ? JSON.stringify(edit.metadata) : before.metadataJson;
  const moving = target !== null && target.id !== before.folderId;
  const unchanged = { id: before.id, folderId: before.folderId, uid: before.uid, modseq: before.modseq };
  if (!moving && sameFlags(flagsBefore, flags) && metadataJson === before.metadataJson) {
    return { ...unchanged, flags, changed: false };
  }
  const after = {
    id: before.id,
    folderId: target?.id ?? before.folderId,
    uid: moving && target ? nextUid(state, target) : before.uid,
    modseq: modseq(),
  };
  await tx
    .update(messages)
    .set({
      seen: flags.seen,
      flagged: flags.flagged,
      answered: flags.answered,
      draft: flags.draft,
      deleted: flags.deleted,
      keywordsJson: JSON.stringify(flags.keywords),
      folderId: after.folderId,
      uid: after.uid,
      modseq: after.modseq,
      metadataJson,
      updatedAt: now,
    })
    .where(eq(messages.id, before.id));
  await recordMessageUpdated(tx, state, { id: before.id, folderId: after.folderId, flags });
  ctx.changes.push(
    moving
      ? {
          type: "message.moved",
          messageId: before.id,
          fromFolderId: before.folderId,
          fromUid: before.uid,
          folderId: after.folderId,
          uid: after.uid,
          modseq: after.modseq,
        }
      : { type: "message.updated", messageId: before.id, ...after, flags },
  );
  return { ...after, flags, changed: true };
}
