import { type ChangedMessage, changeMessage, type MessageEdit } from "../change-message.ts";
import { command } from "../command.ts";
import { requireMessage } from "../message-rows.ts";

/** PUT /messages/{id}: any of flags, folder (a move) and metadata, in one change. */
export interface UpdateMessageCommand extends MessageEdit {
  messageId: string;
}

export const updateMessage = command<UpdateMessageCommand, ChangedMessage>(async (ctx, cmd) => {
  const { messageId, ...edit } = cmd;
  return changeMessage(ctx, await requireMessage(ctx.tx, ctx.state, messageId), edit);
});
