import { nowSeconds } from "../ids.ts";
import type { Store } from "../store/store.ts";
import type { WebhookStatus } from "./webhooks.ts";

/** The webhook dispatcher's durable state per endpoint: its cursor, its status, its retries. */

export interface Progress {
  cursor: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** Moves endpoints' cursors (never backwards) and records how their last attempts went: one unit. */
export async function saveProgress(store: Store, items: (Progress & { webhookId: string })[]): Promise<void> {
  await store.writer.submit((tx) => {
    const update = tx.$client.prepare(
      `UPDATE webhooks SET cursor = max(cursor, ?), last_success_at = coalesce(?, last_success_at),
         last_error = coalesce(?, last_error), last_error_at = coalesce(?, last_error_at) WHERE id = ?`,
    );
    for (const p of items) update.run(p.cursor, p.lastSuccessAt, p.lastError, p.lastErrorAt, p.webhookId);
  });
}

/**
 * Moves the status only if it is still one of `from`: the dispatcher never overrides a client's
 * pause or reactivation that committed in between. True if it moved.
 */
export async function moveStatus(
  store: Store,
  webhookId: string,
  from: WebhookStatus[],
  to: WebhookStatus,
): Promise<boolean> {
  return store.writer.submit((tx) => {
    const marks = from.map(() => "?").join(", ");
    const now = nowSeconds();
    const result = tx.$client
      .prepare(
        `UPDATE webhooks SET status = ?, status_updated_at = ?, updated_at = ? WHERE id = ? AND status IN (${marks})`,
      )
      .run(to, now, now, webhookId, ...from);
    return result.changes > 0;
  });
}

export interface DeliveryUpdate {
  webhookId: string;
  eventSeq: number;
  notificationId: string;
  /** Attempts made so far, this one included. */
  attempt: number;
  status: "pending" | "delivered" | "failed";
  nextAttemptAtMs: number;
  lastStatus: number | null;
  lastError: string | null;
}

/** Records the outcome of an attempt (the first failed one creates the row). */
export async function recordAttempt(store: Store, d: DeliveryUpdate): Promise<void> {
  await store.writer.submit((tx) => {
    tx.$client
      .prepare(
        `INSERT INTO webhook_deliveries
           (webhook_id, event_seq, notification_id, attempt, status, next_attempt_at_ms, last_status, last_error, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (webhook_id, event_seq) DO UPDATE SET attempt = excluded.attempt, status = excluded.status,
           next_attempt_at_ms = excluded.next_attempt_at_ms, last_status = excluded.last_status,
           last_error = coalesce(excluded.last_error, last_error), updated_at = excluded.updated_at`,
      )
      .run(
        d.webhookId,
        d.eventSeq,
        d.notificationId,
        d.attempt,
        d.status,
        d.nextAttemptAtMs,
        d.lastStatus,
        d.lastError,
        nowSeconds(),
      );
  });
}

export interface DueDelivery {
  eventSeq: number;
  notificationId: string;
  attempt: number;
}

/** Pending retries due by `nowMs`, oldest due first, except those already being attempted. */
export function dueDeliveries(
  store: Store,
  webhookId: string,
  nowMs: number,
  exclude: Iterable<number>,
  limit: number,
): DueDelivery[] {
  const skip = [...exclude];
  const rows = store.read.$client
    .prepare(
      `SELECT event_seq, notification_id, attempt FROM webhook_deliveries
       WHERE webhook_id = ? AND status = 'pending' AND next_attempt_at_ms <= ?${notIn(skip)}
       ORDER BY next_attempt_at_ms, event_seq LIMIT ?`,
    )
    .all(webhookId, nowMs, ...skip, limit) as {
    event_seq: number;
    notification_id: string;
    attempt: number;
  }[];
  return rows.map((r) => ({ eventSeq: r.event_seq, notificationId: r.notification_id, attempt: r.attempt }));
}

/** When the next pending retry is due (ms), ignoring those already being attempted; null if none. */
export function nextDueAt(store: Store, webhookId: string, exclude: Iterable<number>): number | null {
  const skip = [...exclude];
  const row = store.read.$client
    .prepare(
      `SELECT min(next_attempt_at_ms) AS at FROM webhook_deliveries
       WHERE webhook_id = ? AND status = 'pending'${notIn(skip)}`,
    )
    .get(webhookId, ...skip) as { at: number | null } | null;
  return row?.at ?? null;
}

export function deliveryCounts(store: Store, webhookId: string): { pending: number; failed: number } {
  const rows = store.read.$client
    .prepare(
      `SELECT status, count(*) AS n FROM webhook_deliveries
       WHERE webhook_id = ? AND status IN ('pending', 'failed') GROUP BY status`,
    )
    .all(webhookId) as { status: string; n: number }[];
  const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return { pending: count("pending"), failed: count("failed") };
}

function notIn(seqs: number[]): string {
  return seqs.length === 0 ? "" : ` AND event_seq NOT IN (${seqs.map(() => "?").join(", ")})`;
}

/** Events in (after, upTo] that already have a delivery row (their first attempt is behind them). */
export function seqsWithDeliveries(
  store: Store,
  webhookId: string,
  after: number,
  upTo: number,
): Set<number> {
  const rows = store.read.$client
    .prepare(
      "SELECT event_seq FROM webhook_deliveries WHERE webhook_id = ? AND event_seq > ? AND event_seq <= ?",
    )
    .all(webhookId, after, upTo) as { event_seq: number }[];
  return new Set(rows.map((r) => r.event_seq));
}
