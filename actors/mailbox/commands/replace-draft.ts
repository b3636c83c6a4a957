import { purgeMessage, requireMessage } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import { type AppendReply, MailboxError, type ReplaceDraftCommand } from "../types.ts";
import { storeMessage } from "./append.ts";
import type { CommandContext } from "./context.ts";

const DRAFTS = "drafts";

/**
 * A draft's new version replaces the old in one unit, so no reader ever sees both or neither.
 * The API id stays; IMAP sees the old UID expunged and a new one (its bytes changed), and
 * webhooks see message.updated.
 */
export async function replaceDraft(ctx: CommandContext, cmd: ReplaceDraftCommand): Promise<AppendReply> {
  const { state, tx } = ctx;
  const old = await requireMessage(tx, state, cmd.draftId);
  if (old.folderId !== DRAFTS) throw new MailboxError("not_found", `draft ${cmd.draftId} does not exist`);
  if (old.uid !== cmd.expectedUid) throw draftChanged(cmd.draftId);
  await purgeMessage(tx, state, old);
  ctx.changes.push({
    type: "message.deleted",
    folderId: old.folderId,
    messageId: old.id,
    uid: old.uid,
    modseq: nextModseq(state),
  });
  return storeMessage(ctx, {
    folderId: DRAFTS,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: { ...cmd.flags, draft: true },
    id: old.id,
    event: "message.updated",
  });
}

/** The draft was saved again between the read a change was composed from and the change. */
export function draftChanged(draftId: string): MailboxError {
  return new MailboxError("conflict", `draft ${draftId} was changed by another request meanwhile; try again`);
}
