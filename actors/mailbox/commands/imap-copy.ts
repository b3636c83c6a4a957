import { flagsOf } from "../../../src/domain/flags.ts";
import { findHeld } from "../../../src/mailbox/writes/held-messages.ts";
import { rowsByUid } from "../../../src/mailbox/writes/messages.ts";
import { changeMessage } from "../change-message.ts";
import { command, type MessageBytes } from "../command.ts";
import { isOutbox } from "../review-folders.ts";
import { requireFolder } from "../state.ts";
import { storeMessage } from "../store-message.ts";

export interface CopyMessagesCommand {
  folderId: string;
  targetFolderId: string;
  sources: ({ id: string; uid: number } & MessageBytes)[];
}

export interface CopyMessagesReply {
  copied: { fromUid: number; uid: number; id: string }[];
}

/**
 * IMAP COPY: each message gets an independent copy in the target folder (new id, new UID, the
 * same stored bytes, its flags, internal date and metadata), all or nothing. The bytes come
 * prepared with the command (parsing never holds the write lock); a source that vanished meanwhile
 * is skipped. A message held for review copied into Outbox is moved there instead (a mail client
 * without MOVE releases it by COPY then EXPUNGE, as Thunderbird does): one message, one release,
 * under its id, exactly as MOVE releases it.
 */
export const copyMessages = command<CopyMessagesCommand, CopyMessagesReply>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  requireFolder(state, cmd.folderId);
  const target = requireFolder(state, cmd.targetFolderId);
  const releases = isOutbox(target) && cmd.folderId !== cmd.targetFolderId;
  const rows = rowsByUid(
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
    if (releases && findHeld(tx, row.id)) {
      const after = await changeMessage(ctx, row, { folderId: cmd.targetFolderId, renumber: true });
      copied.push({ fromUid: row.uid, uid: after.uid, id: row.id });
      continue;
    }
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
});
