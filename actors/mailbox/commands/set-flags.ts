import { and, eq, inArray } from "drizzle-orm";
import { applyFlagChange, flagsOf, sameFlags } from "../../../src/domain/flags.ts";
import { messages } from "../../../src/store/schema.ts";
import { saveFlags } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import type { SetFlagsCommand, SetFlagsReply } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** Changes flags on messages of this grant; unchanged messages keep their MODSEQ. */
export async function setFlags(ctx: CommandContext, cmd: SetFlagsCommand): Promise<SetFlagsReply> {
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
}
