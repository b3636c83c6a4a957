import type { Store } from "../store/store.ts";

/** The outbound queue as an operator sees it: an application's rows, by state, with retry and cancel. */

/** `pending`: not tried yet; `deferred`: tried, another attempt due; `sending`: in flight now. */
export type QueueState = "pending" | "deferred" | "sending" | "delivered" | "bounced";

export interface QueueEntry {
  id: string;
  grantId: string;
  messageId: string;
  mailFrom: string;
  rcptTo: string;
  state: QueueState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

const STATE_SQL = `CASE WHEN q.status = 'queued' AND q.attempts = 0 THEN 'pending'
  WHEN q.status = 'queued' THEN 'deferred' WHEN q.status = 'failed' THEN 'bounced' ELSE q.status END`;

const COLUMNS = `q.id, q.grant_id AS grantId, q.message_id AS messageId, q.mail_from AS mailFrom,
  q.rcpt_to AS rcptTo, ${STATE_SQL} AS state, q.attempts, q.next_attempt_at AS nextAttemptAt,
  q.last_error AS lastError, q.created_at AS createdAt, q.updated_at AS updatedAt`;

/** Newest first; `before` is the (created_at, id) of the last row of the previous page. */
export function listQueue(
  store: Store,
  applicationId: string,
  state: QueueState | null,
  limit: number,
  before: { createdAt: number; id: string } | null,
): QueueEntry[] {
  return store.read.$client
    .query<QueueEntry, (string | number | null)[]>(
      `SELECT ${COLUMNS} FROM outbound_queue q JOIN grants g ON g.id = q.grant_id
       WHERE g.application_id = ? AND (? IS NULL OR ${STATE_SQL} = ?)
         AND (? IS NULL OR q.created_at < ? OR (q.created_at = ? AND q.id < ?))
       ORDER BY q.created_at DESC, q.id DESC LIMIT ?`,
    )
    .all(
      applicationId,
      state,
      state,
      before?.createdAt ?? null,
      before?.createdAt ?? null,
      before?.createdAt ?? null,
      before?.id ?? null,
      limit,
    );
}

export function findQueueEntry(store: Store, applicationId: string, id: string): QueueEntry | null {
  return (
    store.read.$client
      .query<QueueEntry, [string, string]>(
        `SELECT ${COLUMNS} FROM outbound_queue q JOIN grants g ON g.id = q.grant_id
         WHERE g.application_id = ? AND q.id = ?`,
      )
      .get(applicationId, id) ?? null
  );
}

/** A waiting row becomes due now. False if it is not waiting (in flight, delivered or bounced). */
export function retryNow(store: Store, id: string, now: number): Promise<boolean> {
  return store.writer.submit(
    (tx) =>
      tx.$client
        .prepare(
          "UPDATE outbound_queue SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'",
        )
        .run(now, now, id).changes > 0,
  );
}

/**
 * A waiting row is given up: it ends as failed with the operator's reason, and no bounce is sent
 * (the operator, not the remote server, decided). False if it is not waiting.
 */
export function cancelQueued(store: Store, id: string, now: number): Promise<boolean> {
  return store.writer.submit(
    (tx) =>
      tx.$client
        .prepare(
          "UPDATE outbound_queue SET status = 'failed', last_error = 'cancelled by the operator', updated_at = ? WHERE id = ? AND status = 'queued'",
        )
        .run(now, id).changes > 0,
  );
}
