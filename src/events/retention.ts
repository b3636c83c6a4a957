import type { Store } from "../store/store.ts";

const BATCH = 2000;

/**
 * Deletes events older than `olderThanMs`, except those a webhook endpoint still needs: after
 * its cursor (not yet handed over; a paused or failed endpoint keeps its place, so it holds its
 * application's events until it is reactivated or deleted), or with a retry pending or failed.
 * Delivered retry rows go with the same age. Small batches, so mail commits never wait long.
 */
export async function sweepEvents(store: Store, olderThanMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.writer.submit((tx) => {
      const result = tx.$client
        .prepare(
          `DELETE FROM events WHERE seq IN (
             SELECT e.seq FROM events e
             WHERE e.created_at_ms < ?
               AND NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.application_id = e.application_id AND w.cursor < e.seq)
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = e.seq AND d.status <> 'delivered')
             ORDER BY e.seq LIMIT ?)`,
        )
        .run(olderThanMs, BATCH);
      return result.changes;
    });
    total += deleted;
    if (deleted < BATCH) break;
  }
  await store.writer.submit((tx) => {
    tx.$client
      .prepare("DELETE FROM webhook_deliveries WHERE status = 'delivered' AND updated_at < ?")
      .run(Math.floor(olderThanMs / 1000));
  });
  return total;
}
