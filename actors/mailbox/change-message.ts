import { type Flags, flagsOf, sameFlags } from "../../src/domain/flags.ts";
import { recordMessageUpdated } from "../../src/mailbox/writes/events.ts";
import { type MessageRecord, updateMessageState } from "../../src/mailbox/writes/messages.ts";
import type { CommandContext } from "./command.ts";
import { nextModseq, nextUid, requireFolder } from "./state.ts";

/** What a change makes of a message; what it does not name stays as it is. */
export interface MessageEdit {
  flags?: Partial<Flags>;
  /** Another folder is a move: a new UID there. */
  folderId?: string;
  /** A move even into its own folder (IMAP MOVE to the selected mailbox): a new UID. */
  renumber?: boolean;
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
  before: MessageRecord,
  edit: MessageEdit,
  modseq: () => number = () => nextModseq(ctx.state),
): Promise<ChangedMessage> {
  const { state, tx, now } = ctx;
  const target = edit.folderId === undefined ? null : requireFolder(state, edit.folderId);
  const flagsBefore = flagsOf(before);
  const flags = { ...flagsBefore, ...edit.flags };
  const metadataJson = edit.metadata ? JSON.stringify(edit.metadata) : before.metadataJson;
  const moving = target !== null && (target.id !== before.folderId || edit.renumber === true);
  if (!moving && sameFlags(flagsBefore, flags) && metadataJson === before.metadataJson) {
    const { id, folderId, uid, modseq } = before;
    return { id, folderId, uid, modseq, flags, changed: false };
  }
  const after = {
    id: before.id,
    folderId: target?.id ?? before.folderId,
    uid: moving && target ? nextUid(state, target) : before.uid,
    modseq: modseq(),
  };
  updateMessageState(tx, before.id, { ...after, flags, metadataJson, updatedAt: now });
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
