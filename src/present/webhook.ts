import type { WebhookRow } from "../store/schema.ts";

/** The `delivery` object of a webhook (agentbox extension): where the endpoint stands. */
export interface DeliveryState {
  /** Every event up to this log position is delivered, in retry, or not for this endpoint. */
  cursor: number;
  /** Matching events after the cursor: not yet attempted, or first attempt in flight. */
  backlog: number;
  in_flight: number;
  /** Notifications waiting for a retry. */
  pending: number;
  /** Notifications that ran out of attempts (retried again on reactivation). */
  failed: number;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

/**
 * Nylas webhook object (reference §6.1), plus agentbox's `delivery` (the endpoint's progress).
 * The secret only when asked: on create and on rotate.
 */
export function presentWebhook(row: WebhookRow, delivery: DeliveryState, withSecret = false) {
  return {
    id: row.id,
    ...(row.description !== null && { description: row.description }),
    trigger_types: JSON.parse(row.triggerTypesJson) as string[],
    webhook_url: row.url,
    status: row.status,
    notification_email_addresses: JSON.parse(row.notificationEmailAddressesJson) as string[],
    compressed_delivery: row.compressedDelivery,
    status_updated_at: row.statusUpdatedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    ...(withSecret && { webhook_secret: row.secret }),
    delivery,
  };
}
