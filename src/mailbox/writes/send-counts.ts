/** The daily send quota's counts: messages sent per grant per UTC day. */
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../../store/db.ts";
import { sendCounts } from "../../store/schema.ts";

/** Messages sent by the grant on that UTC day (`YYYY-MM-DD`). */
export function sendsOn(tx: Tx, grantId: string, day: string): number {
  const row = tx
    .select({ count: sendCounts.count })
    .from(sendCounts)
    .where(and(eq(sendCounts.grantId, grantId), eq(sendCounts.day, day)))
    .get();
  return row?.count ?? 0;
}

export function countSend(tx: Tx, grantId: string, day: string): void {
  tx.insert(sendCounts)
    .values({ grantId, day, count: 1 })
    .onConflictDoUpdate({
      target: [sendCounts.grantId, sendCounts.day],
      set: { count: sql`${sendCounts.count} + 1` },
    })
    .run();
}
