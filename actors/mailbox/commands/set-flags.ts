import { and, eq, inArray } from "drizzle-orm";
import {
  applyFlagChange,
  type FlagChange,
  type Flags,
  flagsOf,
  sameFlags,
} from "../../../src/domain/flags.ts";
import { messages } from "../../../src/store/schema.ts";
import { command } from "../command.ts";
import { saveFlags } from "../message-rows.ts";
import { nextModseq } from "../state.ts";

export interface SetFlagsCommand {
  messageIds: string[];
  change: FlagChange;
}

export interface SetFlagsReply {
  updated: { id: string; folderId: string; uid: number; modseq: number; flags: Flags }[];
}

/** Changes flags on messages of this grant; unchanged messages keep their MODSEQ. */
export const setFlags = command<SetFlagsCommand, SetFlagsReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  if (cmd.messageIds.length === 0) return { updated: [] };
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.grantId, state.grantId), inArray(messages.id, cmd.messageIds)));
  const updated: SetFlagsReply["updated"] = [];
  let modseq = 0;
  for (const row of rows) {
    const before = flagsOf(row);
    const after = applyFlagChange(before, cmd.change);
    if (sameFlags(before, after)) continue;
    modseq ||= nextModseq(state);
    await saveFlags(ctx, row, after, modseq);
    updated.push({ id: row.id, folderId: row.folderId, uid: row.uid, modseq, flags: after });
  }
  return { updated };
});
