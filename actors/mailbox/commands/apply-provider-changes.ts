import type { Flags } from "../../../src/domain/flags.ts";
import { type MessageRecord, requireMessage } from "../../../src/mailbox/writes/messages.ts";
import { changeMessage } from "../change-message.ts";
import { command } from "../command.ts";
import { purgeMessage } from "../purge-message.ts";
import { removeMessage } from "../remove-message.ts";
import { nextModseq } from "../state.ts";

export interface ApplyProviderChangesCommand {
  /** Flags the provider now has (message.updated for each message whose flags changed). */
  flags?: { messageId: string; flags: Partial<Flags> }[];
  /** Gone at the provider: deleted for good (message.deleted). */
  removed?: string[];
  /** Out of the rolling window: dropped from the local cache only, without a webhook. */
  dropped?: string[];
}

export interface ApplyProviderChangesReply {
  updated: number;
  removed: number;
}

/**
 * What a connected account's sync read at the provider, applied to the local cache in one unit:
 * the provider is the source of truth, so nothing here is written back to it. A message already
 * gone locally is skipped.
 */
export const applyProviderChanges = command<ApplyProviderChangesCommand, ApplyProviderChangesReply>(
  async (ctx, cmd) => {
    const reply = { updated: 0, removed: 0 };
    for (const { messageId, flags } of cmd.flags ?? []) {
      const m = find(ctx.tx, ctx.state.grantId, messageId);
      if (m && (await changeMessage(ctx, m, { flags })).changed) reply.updated += 1;
    }
    for (const messageId of cmd.removed ?? []) {
      const m = find(ctx.tx, ctx.state.grantId, messageId);
      if (!m) continue;
      await removeMessage(ctx, m, true);
      reply.removed += 1;
    }
    for (const messageId of cmd.dropped ?? []) {
      const m = find(ctx.tx, ctx.state.grantId, messageId);
      if (!m) continue;
      purgeMessage(ctx.tx, ctx.state, m);
      const modseq = nextModseq(ctx.state);
      ctx.changes.push({
        type: "message.deleted",
        folderId: m.folderId,
        messageId: m.id,
        uid: m.uid,
        modseq,
      });
      reply.removed += 1;
    }
    return reply;
  },
);

function find(tx: Parameters<typeof requireMessage>[0], grantId: string, id: string): MessageRecord | null {
  try {
    return requireMessage(tx, grantId, id);
  } catch {
    return null;
  }
}
