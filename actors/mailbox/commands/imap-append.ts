import { FOLDER } from "../../../src/domain/system-folders.ts";
import { messageWithMessageId } from "../../../src/mailbox/writes/messages.ts";
import { storingCommand } from "../command.ts";
import { requireFolder } from "../state.ts";
import { type NewMessage, type StoredMessage, storeMessage } from "../store-message.ts";

export interface ImapAppendReply extends StoredMessage {
  /** The folder already held this Message-ID: nothing was stored, the reply names that message. */
  existing: boolean;
}

/**
 * IMAP APPEND: like append, but a message whose Message-ID is already in the target folder is
 * not stored again (a client that sends by SMTP and then appends to Sent); the existing one is
 * answered. Not in Drafts, where clients re-save a draft under its Message-ID.
 */
export const imapAppend = storingCommand<NewMessage, ImapAppendReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const messageId = cmd.prepared.messageId;
  if (messageId && folder.id !== FOLDER.drafts) {
    const existing = messageWithMessageId(tx, state.grantId, folder.id, messageId);
    if (existing) {
      return {
        id: existing.id,
        folderId: folder.id,
        uid: existing.uid,
        modseq: existing.modseq,
        threadId: existing.threadId ?? "",
        existing: true,
      };
    }
  }
  return { ...(await storeMessage(ctx, cmd)), existing: false };
});
