import {
  applyFlagChange,
  type FlagChange,
  type Flags,
  flagsOf,
  sameFlags,
} from "../../../src/domain/flags.ts";
import { command } from "../command.ts";
import { saveFlags } from "../message-rows.ts";
import { rowsByUid } from "../rows-by-uid.ts";
import { nextModseq } from "../state.ts";

/** IMAP STORE: flags of messages named by UID in one folder; CONDSTORE's UNCHANGEDSINCE. */
export interface StoreFlagsCommand {
  folderId: string;
  uids: number[];
  change: FlagChange;
  /** Leave alone (and report in `modified`) every message whose MODSEQ is above this. */
  unchangedSince?: number;
}

export interface StoreFlagsReply {
  /** Every message the STORE applied to, changed or not, with its flags after. */
  messages: { id: string; uid: number; modseq: number; flags: Flags; changed: boolean }[];
  /** UIDs refused by `unchangedSince`. */
  modified: number[];
}

/**
 * IMAP STORE: flags of messages named by UID in one folder. With `unchangedSince` (CONDSTORE),
 * a message whose MODSEQ is above it is left alone and reported in `modified`. Messages whose
 * flags do not change keep their MODSEQ; the changed ones share one new MODSEQ.
 */
export const storeFlags = command<StoreFlagsCommand, StoreFlagsReply>(async (ctx, cmd) => {
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
});
