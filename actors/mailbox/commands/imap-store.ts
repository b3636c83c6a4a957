import { applyFlagChange, flagsOf, sameFlags } from "../../../src/domain/flags.ts";
import { saveFlags } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import type { StoreFlagsCommand, StoreFlagsReply } from "../types.ts";
import type { CommandContext } from "./context.ts";
import { rowsByUid } from "./imap-rows.ts";

/**
 * IMAP STORE: flags of messages named by UID in one folder. With `unchangedSince` (CONDSTORE),
 * a message whose MODSEQ is above it is left alone and reported in `modified`. Messages whose
 * flags do not change keep their MODSEQ; the changed ones share one new MODSEQ.
 */
export async function storeFlags(ctx: CommandContext, cmd: StoreFlagsCommand): Promise<StoreFlagsReply> {
  const { state, tx } = ctx;
  const rows = await rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids);
  const reply: StoreFlagsReply = { messages: [], modified: [] };
  let modseq = 0;
  for (const row of rows) {
    const before = flagsOf(row);
    if (cmd.unchangedSince !== undefined && row.modseq > cmd.unchangedSince) {
      reply.modified.push(row.uid);
      continue;
    }
    const after = applyFlagChange(before, cmd.change);
    if (sameFlags(before, after)) {
      reply.messages.push({ id: row.id, uid: row.uid, modseq: row.modseq, flags: before, changed: false });
      continue;
    }
    modseq ||= nextModseq(state);
    await saveFlags(ctx, row, after, modseq);
    reply.messages.push({ id: row.id, uid: row.uid, modseq, flags: after, changed: true });
  }
  return reply;
}
