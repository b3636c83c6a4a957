/** A row of webhook_attempts, as src/webhooks/attempts.ts reads it. */
export interface WebhookAttemptRow {
  id: number;
  webhookId: string;
  notificationId: string;
  attempt: number;
  attemptedAtMs: number;
  durationMs: number;
  statusCode: number | null;
  outcome: string;
  error: string | null;
}

/** One delivery attempt of GET /v3/webhooks/{id}/deliveries (an agentbox extension). */
export function presentWebhookAttempt(a: WebhookAttemptRow) {
  return {
    id: String(a.id),
    object: "webhook_delivery_attempt",
    webhook_id: a.webhookId,
    notification_id: a.notificationId,
    attempt: a.attempt,
    attempted_at: Math.floor(a.attemptedAtMs / 1000),
    attempted_at_ms: a.attemptedAtMs,
    duration_ms: a.durationMs,
    status_code: a.statusCode,
    outcome: a.outcome,
    error: a.error,
  };
}
