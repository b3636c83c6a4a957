import type { Store } from "../store/store.ts";

/** One delivery attempt, as the history shows it. */
export interface AttemptRecord {
  webhookId: string;
  notificationId: string;
  eventSeq: number;
  attempt: number;
  attemptedAtMs: number;
  durationMs: number;
  statusCode: number | null;
  /** `retry`: failed, another attempt is scheduled; `failed`: failed, no more attempts. */
  outcome: "delivered" | "retry" | "failed";
  error: string | null;
}

export interface StoredAttempt extends AttemptRecord {
  id: number;
}

/** Appends attempts in one unit of work. */
export async function saveAttempts(store: Store, attempts: AttemptRecord[]): Promise<void> {
  await store.writer.submit((tx) => {
    const insert = tx.$client.prepare(
      `INSERT INTO webhook_attempts (webhook_id, notification_id, event_seq, attempt, attempted_at_ms,
         duration_ms, status_code, outcome, error)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?)`,
    );
    for (const a of attempts) {
      insert.run(
        a.webhookId,
        a.notificationId,
        a.eventSeq,
        a.attempt,
        a.attemptedAtMs,
        a.durationMs,
        a.statusCode,
        a.outcome,
        a.error,
        a.webhookId,
      );
    }
  });
}

/** A webhook's attempts, newest first, `limit` of them before the attempt id `before`. */
export function listAttempts(
  store: Store,
  webhookId: string,
  limit: number,
  before: number | null,
): StoredAttempt[] {
  return store.read.$client
    .query<StoredAttempt, [string, number, number]>(
      `SELECT id, webhook_id AS webhookId, notification_id AS notificationId, event_seq AS eventSeq,
         attempt, attempted_at_ms AS attemptedAtMs, duration_ms AS durationMs, status_code AS statusCode,
         outcome, error
       FROM webhook_attempts WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    )
    .all(webhookId, before ?? Number.MAX_SAFE_INTEGER, limit);
}

/** Deletes attempts older than `olderThanMs` (the event log's retention). */
export async function sweepAttempts(store: Store, olderThanMs: number): Promise<number> {
  return store.writer.submit(
    (tx) =>
      tx.$client.prepare("DELETE FROM webhook_attempts WHERE attempted_at_ms < ?").run(olderThanMs).changes,
  );
}

/**
 * Queues one more attempt of a notification this webhook was sent (by the operator, from the
 * history): its delivery row becomes a retry due now, same notification id, next attempt number.
 * False if the webhook never attempted that notification.
 */
export async function scheduleResend(
  store: Store,
  webhookId: string,
  notificationId: string,
): Promise<boolean> {
  return store.writer.submit((tx) => {
    const known = tx.$client
      .query<{ event_seq: number; attempt: number }, [string, string, string, string]>(
        `SELECT event_seq, max(attempt) AS attempt FROM (
           SELECT event_seq, attempt FROM webhook_deliveries WHERE webhook_id = ? AND notification_id = ?
           UNION ALL
           SELECT event_seq, attempt FROM webhook_attempts WHERE webhook_id = ? AND notification_id = ?)
         GROUP BY event_seq`,
      )
      .get(webhookId, notificationId, webhookId, notificationId);
    if (!known) return false;
    tx.$client
      .prepare(
        `INSERT INTO webhook_deliveries
           (webhook_id, event_seq, notification_id, attempt, status, next_attempt_at_ms, last_status, last_error, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, NULL, NULL, ?)
         ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = 'pending',
           next_attempt_at_ms = excluded.next_attempt_at_ms, updated_at = excluded.updated_at`,
      )
      .run(
        webhookId,
        known.event_seq,
        notificationId,
        known.attempt,
        Date.now(),
        Math.floor(Date.now() / 1000),
      );
    return true;
  });
}
