import { eq } from "drizzle-orm";
import { recordEvent } from "../../../src/events/outbox.ts";
import { messages } from "../../../src/store/schema.ts";
import { nextModseq } from "../state.ts";
import type { FlagChange, Flags, StoreFlagsCommand, StoreFlagsReply } from "../types.ts";
import type { CommandContext } from "./context.ts";
import { rowsByUid } from "./imap-rows.ts";
import { flagsOf } from "./set-flags.ts";

const SYSTEM_FLAGS = ["seen", "flagged", "answered", "draft", "deleted"] as const;

/**
 * IMAP STORE: flags of messages named by UID in one folder. With `unchangedSince` (CONDSTORE),
 * a message whose MODSEQ is above it is left alone and reported in `modified`. Messages whose
 * flags do not change keep their MODSEQ; the changed ones share one new MODSEQ.
 */
export async function storeFlags(ctx: CommandContext, cmd: StoreFlagsCommand): Promise<StoreFlagsReply> {
  const { state, tx, now } = ctx;
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
    reply.messages.push({ id: row.id, uid: row.uid, modseq, flags: after, changed: true });
  }
  return reply;
}

export function applyFlagChange(before: Flags, change: FlagChange): Flags {
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
