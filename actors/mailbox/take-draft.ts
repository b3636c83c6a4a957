import { MailboxError } from "../../src/domain/errors.ts";
import { FOLDER } from "../../src/domain/system-folders.ts";
import { requireMessage } from "../../src/mailbox/writes/messages.ts";
import type { CommandContext } from "./command.ts";
import { purgeMessage } from "./purge-message.ts";
import { nextModseq } from "./state.ts";

/**
 * Removes a draft, if it is still the version `wanted.uid` (its Drafts UID is expunged); returns
 * its id for the message that replaces it (a new version, or the Sent copy).
 */
export async function takeDraft(ctx: CommandContext, wanted: { id: string; uid: number }): Promise<string> {
  const { state, tx } = ctx;
  const draft = requireMessage(tx, state.grantId, wanted.id);
  if (draft.folderId !== FOLDER.drafts)
    throw new MailboxError("not_found", `draft ${wanted.id} does not exist`);
  if (draft.uid !== wanted.uid) throw draftChanged(wanted.id);
  purgeMessage(tx, state, draft);
  ctx.changes.push({
    type: "message.deleted",
    folderId: draft.folderId,
    messageId: draft.id,
    uid: draft.uid,
    modseq: nextModseq(state),
  });
  return draft.id;
}

/** The draft was saved again between the read a change was composed from and the change. */
function draftChanged(draftId: string): MailboxError {
  return new MailboxError("conflict", `draft ${draftId} was changed by another request meanwhile; try again`);
}
