import { and, between, eq, sql } from "drizzle-orm";
import { type MessageRow, messages } from "../../src/store/schema.ts";
import type { Tx } from "../../src/store/store.ts";

/**
 * The messages of one folder with these UIDs, read inside the transaction (so they reflect the
 * earlier commands of the batch), ascending by UID. UIDs that no longer exist are left out.
 */
export async function rowsByUid(
  tx: Tx,
  grantId: string,
  folderId: string,
  uids: readonly number[],
): Promise<(MessageRow & { seq: number })[]> {
  if (uids.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const uid of uids) {
    if (uid < lo) lo = uid;
    if (uid > hi) hi = uid;
  }
  const wanted = new Set(uids);
  const rows = await tx
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, folderId), between(messages.uid, lo, hi)))
    .orderBy(messages.uid);
  return rows.filter((r) => wanted.has(r.row.uid)).map((r) => ({ ...r.row, seq: r.seq }));
}
