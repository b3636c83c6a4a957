import { and, eq, inArray } from "drizzle-orm";
import { recordEvent } from "../../../src/events/outbox.ts";
import type { MessageRow } from "../../../src/store/schema.ts";
import { messages } from "../../../src/store/schema.ts";
import { nextModseq } from "../state.ts";
import type { FlagChange, Flags, SetFlagsCommand, SetFlagsReply } from "../types.ts";
import type { CommandContext } from "./context.ts";

const SYSTEM_FLAGS = ["seen", "flagged", "answered", "draft", "deleted"] as const;

/** Changes flags on messages of this grant; unchanged messages keep their MODSEQ. */
export async function setFlags(ctx: CommandContext, cmd: SetFlagsCommand): Promise<SetFlagsReply> {
  const { state, tx, now } = ctx;
  if (cmd.messageIds.length === 0) return { updated: [] };
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.grantId, state.grantId), inArray(messages.id, cmd.messageIds)));
  const updated: SetFlagsReply["updated"] = [];
  let modseq = 0;
  for (const row of rows) {
    const before = flagsOf(row);
    const after = applyChange(before, cmd.change);
    if (sameFlags(before, after)) continue;
    modseq ||= nextModseq(state);
    await tx
      .update(messages)
      .set({
        seen: after.seen,
        flagged: after.flagged,
        answered: after.answered,
        draft: after.draft,
        deleted: after.deleted,
        keywordsJson: JSON.stringify(after.keywords),
        modseq,
        updatedAt: now,
      })
      .where(eq(messages.id, row.id));
    await recordEvent(tx, {
      applicationId: state.applicationId,
      grantId: state.grantId,
      type: "message.updated",
      object: {
        id: row.id,
        grant_id: state.grantId,
        folders: [row.folderId],
        unread: !after.seen,
        starred: after.flagged,
      },
    });
    ctx.changes.push({
      type: "message.updated",
      folderId: row.folderId,
      messageId: row.id,
      uid: row.uid,
      modseq,
      flags: after,
    });
    updated.push({ id: row.id, folderId: row.folderId, uid: row.uid, modseq, flags: after });
  }
  return { updated };
}

export function flagsOf(row: MessageRow): Flags {
  return {
    seen: row.seen,
    flagged: row.flagged,
    answered: row.answered,
    draft: row.draft,
    deleted: row.deleted,
    keywords: JSON.parse(row.keywordsJson) as string[],
  };
}

function applyChange(before: Flags, change: FlagChange): Flags {
  if (change.mode === "set") {
    return {
      seen: change.flags.seen ?? false,
      flagged: change.flags.flagged ?? false,
      answered: change.flags.answered ?? false,
      draft: change.flags.draft ?? false,
      deleted: change.flags.deleted ?? false,
      keywords: dedupe(change.flags.keywords ?? []),
    };
  }
  const on = change.mode === "add";
  const after: Flags = { ...before, keywords: [...before.keywords] };
  for (const name of SYSTEM_FLAGS) if (change.flags[name]) after[name] = on;
  const given = change.flags.keywords ?? [];
  after.keywords = on
    ? dedupe([...after.keywords, ...given])
    : after.keywords.filter((k) => !given.some((g) => g.toLowerCase() === k.toLowerCase()));
  return after;
}

function dedupe(keywords: string[]): string[] {
  const seen = new Set<string>();
  return keywords.filter((k) => {
    const key = k.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sameFlags(a: Flags, b: Flags): boolean {
  return (
    SYSTEM_FLAGS.every((f) => a[f] === b[f]) &&
    a.keywords.length === b.keywords.length &&
    a.keywords.every((k, i) => k === b.keywords[i])
  );
}
