import { requireMessage } from "../../../src/mailbox/writes/messages.ts";
import { command } from "../command.ts";
import { type Removal, removeMessage } from "../remove-message.ts";

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
  const message = requireMessage(ctx.tx, ctx.state.grantId, cmd.messageId);
  return { outcome: await removeMessage(ctx, message, cmd.hard) };
});
