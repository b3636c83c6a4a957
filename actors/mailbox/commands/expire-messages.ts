import { expiredMessages, type RetentionCutoffs } from "../../../src/mailbox/writes/retention.ts";
import { command } from "../command.ts";
import { removeMessage } from "../remove-message.ts";

export interface ExpireMessagesCommand extends RetentionCutoffs {
  /** At most this many in one unit (the sweep asks again while a batch comes back full). */
  limit: number;
}

export interface ExpireMessagesReply {
  inbox: number;
  spam: number;
}

/**
 * A policy's retention: the messages that outlived their period are deleted for good, each with
 * its message.deleted (and, for IMAP, its departure in `expunged`), in one unit.
 */
export const expireMessages = command<ExpireMessagesCommand, ExpireMessagesReply>(async (ctx, cmd) => {
  const reply = { inbox: 0, spam: 0 };
  for (const m of expiredMessages(ctx.tx, ctx.state.grantId, cmd, cmd.limit)) {
    await removeMessage(ctx, m, true);
    if (m.folderId === "junk") reply.spam += 1;
    else reply.inbox += 1;
  }
  return reply;
});
