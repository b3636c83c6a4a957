import { and, eq, sql } from "drizzle-orm";
import { MailboxError } from "../../src/domain/errors.ts";
import { recordEvent } from "../../src/events/outbox.ts";
import { deleteSearchRows, deleteUnusedBlobs } from "../../src/store/ingest-sql.ts";
import { type MessageRow, messages } from "../../src/store/schema.ts";
import type { Tx } from "../../src/store/store.ts";
import type { MailboxState } from "./state.ts";

/** A message of this grant, read inside the transaction (so it sees earlier commands of the batch). */
export async function requireMessage(
  tx: Tx,
  state: MailboxState,
  messageId: string,
): Promise<MessageRow & { seq: number }> {
  const [found] = await tx
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(eq(messages.grantId, state.grantId), eq(messages.id, messageId)));
  if (!found) throw new MailboxError("not_found", `message ${messageId} does not exist`);
  return { ...found.row, seq: found.seq };
}

/**
 * Deletes a message for good: its row (details cascade), its search entry, its raw bytes when
 * no other message shares them and no queued delivery still needs them, and its size from the
 * quota.
 */
export async function purgeMessage(
  tx: Tx,
  state: MailboxState,
  m: MessageRow & { seq: number },
): Promise<void> {
  await tx.delete(messages).where(eq(messages.id, m.id));
  deleteSearchRows(tx, [m.seq]);
  deleteUnusedBlobs(tx, [m.blobHash]);
  state.storageUsed = Math.max(0, state.storageUsed - m.size);
}

/** The message.updated event: where the message is and its unread/starred state. */
export async function recordMessageUpdated(
  tx: Tx,
  state: MailboxState,
  m: { id: string; folderId: string; flags: { seen: boolean; flagged: boolean } },
): Promise<void> {
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "message.updated",
    object: {
      id: m.id,
      grant_id: state.grantId,
      folders: [m.folderId],
      unread: !m.flags.seen,
      starred: m.flags.flagged,
    },
  });
}
