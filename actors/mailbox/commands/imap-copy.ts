import { flagsOf } from "../../../src/domain/flags.ts";
import { requireFolder } from "../state.ts";
import type { CopyMessagesCommand, CopyMessagesReply } from "../types.ts";
import { storeMessage } from "./append.ts";
import type { CommandContext } from "./context.ts";
import { rowsByUid } from "./imap-rows.ts";

/**
 * IMAP COPY: each message gets an independent copy in the target folder (new id, new UID, the
 * same stored bytes, its flags, internal date and metadata), all or nothing. The bytes come
 * prepared with the command (parsing never holds the write lock); a source that vanished meanwhile
 * is skipped.
 */
export async function copyMessages(
  ctx: CommandContext,
  cmd: CopyMessagesCommand,
): Promise<CopyMessagesReply> {
  const { state, tx } = ctx;
  requireFolder(state, cmd.folderId);
  requireFolder(state, cmd.targetFolderId);
  const rows = await rowsByUid(
    tx,
    state.grantId,
    cmd.folderId,
    cmd.sources.map((s) => s.uid),
  );
  const byUid = new Map(rows.map((r) => [r.uid, r]));
  const copied: CopyMessagesReply["copied"] = [];
  for (const source of cmd.sources) {
    const row = byUid.get(source.uid);
    if (!row || row.id !== source.id) continue;
    const stored = await storeMessage(ctx, {
      folderId: cmd.targetFolderId,
      raw: source.raw,
      prepared: source.prepared,
      flags: flagsOf(row),
      internalDate: row.internalDate,
      metadata: JSON.parse(row.metadataJson) as Record<string, string>,
    });
    copied.push({ fromUid: row.uid, uid: stored.uid, id: stored.id });
  }
  return { copied };
}
