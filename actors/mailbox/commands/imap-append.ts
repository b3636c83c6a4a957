import { FOLDER } from "../../../src/domain/system-folders.ts";
import { messageWithMessageId } from "../../../src/mailbox/writes/messages.ts";
import {
  type CommandContext,
  type CommandDefinition,
  MailboxRequest,
  type MessageBytes,
  storingCommand,
  type WithBytes,
} from "../command.ts";
import { requireFolder } from "../state.ts";
import { type NewMessage, type StoredMessage, storeMessage } from "../store-message.ts";

export interface ImapAppendCommand extends NewMessage {
  /** De-duplicate in whichever folder it goes to (an import run again); by default only in Sent. */
  anyFolder?: boolean;
}

export interface ImapAppendReply extends StoredMessage {
  /** The folder already held this Message-ID: nothing was stored, the reply names that message. */
  existing: boolean;
}

/**
 * IMAP APPEND: like append, but a message appended to Sent whose Message-ID is already there is
 * not stored again (a client that sends by SMTP, which stored the Sent copy, then appends its
 * own); the existing one is answered. Only in Sent: elsewhere a mailbox holds what it is given,
 * duplicates included (THREAD depends on it, as on any IMAP server). An import asks for
 * `anyFolder`: running it again stores nothing twice.
 */
export const imapAppend = storingCommand<ImapAppendCommand, ImapAppendReply>(appendOne);

export interface ImapAppendAllCommand {
  /** In the order the client sent them; each names the same folder. */
  messages: WithBytes<ImapAppendCommand>[];
}

/**
 * MULTIAPPEND (RFC 3502): several messages, in order, in one unit: all are stored or none is
 * (a failure rolls the whole command back). Each is prepared before the command is queued.
 */
export const imapAppendAll: CommandDefinition<ImapAppendAllCommand, ImapAppendReply[]> = {
  async request(input, prepare) {
    const messages = await Promise.all(
      input.messages.map(async (m) => ({ ...m, prepared: await (m.prepared ?? prepare(m.raw)) })),
    );
    return new MailboxRequest(async (ctx) => {
      const replies: ImapAppendReply[] = [];
      for (const message of messages) replies.push(await appendOne(ctx, message));
      return replies;
    });
  },
};

async function appendOne(
  ctx: CommandContext,
  cmd: ImapAppendCommand & MessageBytes,
): Promise<ImapAppendReply> {
  const { state, tx } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const messageId = cmd.prepared.messageId;
  if (messageId && (cmd.anyFolder || folder.id === FOLDER.sent)) {
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
}
