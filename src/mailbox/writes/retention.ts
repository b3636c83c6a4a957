/** What a policy's retention periods remove: the reads the expiring command makes in its unit. */
import { and, asc, eq, lt, notInArray } from "drizzle-orm";
import { FOLDER } from "../../domain/system-folders.ts";
import type { Tx } from "../../store/db.ts";
import { messages } from "../../store/schema.ts";
import { type MessageRecord, messageRecords } from "./messages.ts";

/** Unix seconds before which a message has outlived its period; null: kept. */
export interface RetentionCutoffs {
  /** Every folder but Junk and Drafts (limit_inbox_retention_period). */
  inboxBefore: number | null;
  /** Junk (limit_spam_retention_period). */
  spamBefore: number | null;
}

/** The oldest expired messages, at most `limit`: Junk's first, then the rest, by received date. */
export function expiredMessages(
  tx: Tx,
  grantId: string,
  c: RetentionCutoffs,
  limit: number,
): MessageRecord[] {
  const found: MessageRecord[] = [];
  if (c.spamBefore !== null) {
    found.push(
      ...messageRecords(
        tx,
        and(
          eq(messages.grantId, grantId),
          eq(messages.folderId, FOLDER.junk),
          lt(messages.internalDate, c.spamBefore),
        ),
        asc(messages.internalDate),
        limit,
      ),
    );
  }
  if (c.inboxBefore !== null && found.length < limit) {
    found.push(
      ...messageRecords(
        tx,
        and(
          eq(messages.grantId, grantId),
          lt(messages.internalDate, c.inboxBefore),
          notInArray(messages.folderId, [FOLDER.junk, FOLDER.drafts]),
        ),
        asc(messages.internalDate),
        limit - found.length,
      ),
    );
  }
  return found;
}
