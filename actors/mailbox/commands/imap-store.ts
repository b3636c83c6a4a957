import { applyFlagChange, type FlagChange, flagsOf } from "../../../src/domain/flags.ts";
import { rowsByUid } from "../../../src/mailbox/writes/messages.ts";
import { type ChangedMessage, changeMessage } from "../change-message.ts";
import { command } from "../command.ts";
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
  /** Messages whose flags changed, with their flags after and their one new MODSEQ. */
  updated: ChangedMessage[];
  /** Messages that already had those flags: left as they were, MODSEQ too. */
  unchanged: ChangedMessage[];
  /** UIDs refused by `unchangedSince`. */
  modified: number[];
}

/**
 * IMAP STORE: flags of messages named by UID in one folder. With `unchangedSince` (CONDSTORE),
 * a message whose MODSEQ is above it is left alone and reported in `modified`. The messages it
 * changes share one new MODSEQ.
 */
export const storeFlags = command<StoreFlagsCommand, StoreFlagsReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const rows = rowsByUid(tx, state.grantId, cmd.folderId, cmd.uids);
  const reply: StoreFlagsReply = { updated: [], unchanged: [], modified: [] };
  let modseq = 0;
  const shared = () => (modseq ||= nextModseq(state));
  for (const row of rows) {
    if (cmd.unchangedSince !== undefined && row.modseq > cmd.unchangedSince) {
      reply.modified.push(row.uid);
      continue;
    }
    const after = await changeMessage(ctx, row, { flags: applyFlagChange(flagsOf(row), cmd.change) }, shared);
    (after.changed ? reply.updated : reply.unchanged).push(after);
  }
  return reply;
});
