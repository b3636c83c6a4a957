import { MailboxError } from "../../../src/domain/errors.ts";
import type { Flags } from "../../../src/domain/flags.ts";
import { requireMessage } from "../../../src/mailbox/writes/messages.ts";
import { type ChangedMessage, changeMessage } from "../change-message.ts";
import { command } from "../command.ts";

const MAX_METADATA_PAIRS = 50;

/** PUT /messages/{id}: any of flags, folder (a move) and metadata, in one change. */
export interface UpdateMessageCommand {
  messageId: string;
  flags?: Partial<Omit<Flags, "keywords">>;
  folderId?: string;
  metadata?: Record<string, string>;
}

export const updateMessage = command<UpdateMessageCommand, ChangedMessage>(async (ctx, cmd) => {
  const { messageId, ...edit } = cmd;
  if (edit.metadata && Object.keys(edit.metadata).length > MAX_METADATA_PAIRS) {
    throw new MailboxError("invalid", `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`);
  }
  return changeMessage(ctx, requireMessage(ctx.tx, ctx.state.grantId, messageId), edit);
});
