import { MailboxError } from "../../src/domain/errors.ts";
import { recordReviewEvent } from "../../src/mailbox/writes/events.ts";
import { takeHeld } from "../../src/mailbox/writes/held-messages.ts";
import { requireMessage } from "../../src/mailbox/writes/messages.ts";
import type { CommandContext } from "./command.ts";
import { purgeMessage } from "./purge-message.ts";
import { nextModseq } from "./state.ts";

/**
 * A held message released (message.released): its hold is taken (once: a second release is a
 * conflict) and it leaves its folder (Outbox, or Review); returns its id for the Sent copy.
 */
export async function releaseHeld(ctx: CommandContext, messageId: string): Promise<string> {
  const { state, tx } = ctx;
  if (!takeHeld(tx, messageId)) {
    throw new MailboxError(
      "conflict",
      `message ${messageId} is not held for review (released or discarded already)`,
    );
  }
  const held = requireMessage(tx, state.grantId, messageId);
  purgeMessage(tx, state, held);
  ctx.changes.push({
    type: "message.deleted",
    folderId: held.folderId,
    messageId: held.id,
    uid: held.uid,
    modseq: nextModseq(state),
  });
  await recordReviewEvent(tx, state, "message.released", { id: held.id, folderId: held.folderId });
  return held.id;
}
