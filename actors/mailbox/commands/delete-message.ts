import { command } from "../command.ts";
import { requireMessage } from "../message-rows.ts";
import { type Removal, removeMessage } from "../remove-message.ts";

/** DELETE /messages/{id}. */
export interface DeleteMessageCommand {
  messageId: string;
  /** Delete now, even outside Trash (otherwise: move to Trash, or delete if already there). */
  hard: boolean;
}

export interface DeleteMessageReply {
  outcome: Removal;
}

/** Outside Trash: moves to Trash. In Trash, or `hard`: deletes for good (message.deleted). */
export const deleteMessage = command<DeleteMessageCommand, DeleteMessageReply>(async (ctx, cmd) => {
  const message = await requireMessage(ctx.tx, ctx.state, cmd.messageId);
  return { outcome: await removeMessage(ctx, message, cmd.hard) };
});
