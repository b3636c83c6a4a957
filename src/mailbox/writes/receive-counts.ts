/** The daily receive limit's counts: messages received per grant per UTC day (while a policy sets one). */
import type { Db, Tx } from "../../store/db.ts";

/** Messages the grant received on that UTC day (`YYYY-MM-DD`). Plain SQL: the MX asks at every RCPT. */
export function receivedOn(db: Db, grantId: string, day: string): number {
  const row = db.$client
    .prepare("SELECT count FROM receive_counts WHERE grant_id = ? AND day = ?")
    .get(grantId, day) as { count: number } | null;
  return row?.count ?? 0;
}

export function countReceived(tx: Tx, grantId: string, day: string): void {
  tx.$client
    .prepare(
      "INSERT INTO receive_counts (grant_id, day, count) VALUES (?, ?, 1) ON CONFLICT (grant_id, day) DO UPDATE SET count = count + 1",
    )
    .run(grantId, day);
}
