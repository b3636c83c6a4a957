import { FOLDER } from "../../../src/domain/system-folders.ts";
import { reserveSend } from "../../../src/sending/quota.ts";
import { claimScheduledSend } from "../../../src/sending/scheduled-store.ts";
import { insertQueueRows } from "../../../src/smtp/queue.ts";
import type { SendCommand, SendReply } from "../types.ts";
import { storeMessage } from "./append.ts";
import type { CommandContext } from "./context.ts";
import { takeDraft } from "./replace-draft.ts";
import { updateMessage } from "./update-message.ts";

/**
 * One message leaving the account, all or nothing: a send is taken from today's quota, the copy
 * is stored in Sent (a draft being sent leaves Drafts and lends the copy its id; a scheduled send
 * is claimed and gives the id it was promised), the answered message is marked, and each remote
 * recipient gets an outbound queue row.
 */
export async function send(ctx: CommandContext, cmd: SendCommand): Promise<SendReply> {
  const { state, tx, now } = ctx;
  await reserveSend(tx, state.grantId, now);
  if (cmd.scheduled) await claimScheduledSend(tx, state, cmd.scheduled.scheduleId, now);
  const id = cmd.draft ? await takeDraft(ctx, cmd.draft) : cmd.scheduled?.messageId;
  const stored = await storeMessage(ctx, {
    folderId: FOLDER.sent,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: { seen: true, ...cmd.flags, draft: false },
    ...(id && { id }),
  });
  if (cmd.answeredId) {
    await updateMessage(ctx, { kind: "updateMessage", messageId: cmd.answeredId, flags: { answered: true } });
  }
  // Without Bcc the queued bytes are the Sent copy's, already hashed when prepared.
  const blobHash = cmd.outbound.raw === cmd.raw ? cmd.prepared.sha256 : undefined;
  const queued = insertQueueRows(
    tx,
    { grantId: state.grantId, messageId: stored.id, ...cmd.outbound, ...(blobHash && { blobHash }) },
    now,
  );
  return { ...stored, queued };
}
