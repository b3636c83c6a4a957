import { and, eq } from "drizzle-orm";
import { FOLDER } from "../../../src/domain/system-folders.ts";
import { messages } from "../../../src/store/schema.ts";
import { requireFolder } from "../state.ts";
import type { ImapAppendCommand, ImapAppendReply } from "../types.ts";
import { storeMessage } from "./append.ts";
import type { CommandContext } from "./context.ts";

/**
 * IMAP APPEND: like append, but a message whose Message-ID is already in the target folder is
 * not stored again (a client that sends by SMTP and then appends to Sent); the existing one is
 * answered. Not in Drafts, where clients re-save a draft under its Message-ID.
 */
export async function imapAppend(ctx: CommandContext, cmd: ImapAppendCommand): Promise<ImapAppendReply> {
  const { state, tx } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const messageId = cmd.prepared.messageId;
  if (messageId && folder.id !== FOLDER.drafts) {
    const [existing] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.grantId, state.grantId),
          eq(messages.messageIdHeader, messageId),
          eq(messages.folderId, folder.id),
        ),
      )
      .orderBy(messages.uid)
      .limit(1);
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
  const { kind: _kind, ...input } = cmd;
  return { ...(await storeMessage(ctx, input)), existing: false };
}
