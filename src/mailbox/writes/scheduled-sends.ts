/** The claim a scheduled send coming due makes, in the unit that stores its Sent copy. */
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../store/db.ts";
import { type ScheduledSendRow, scheduledSends } from "../../store/schema.ts";

/** The schedule goes from pending to sent; undefined when it is no longer pending. */
export function claimScheduledSend(
  tx: Tx,
  grantId: string,
  id: string,
  nowS: number,
): ScheduledSendRow | undefined {
  return tx
    .update(scheduledSends)
    .set({ status: "sent", closeTime: nowS })
    .where(
      and(
        eq(scheduledSends.id, id),
        eq(scheduledSends.grantId, grantId),
        eq(scheduledSends.status, "pending"),
      ),
    )
    .returning()
    .get();
}
