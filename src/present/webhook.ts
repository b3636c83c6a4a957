import type { WebhookRow } from "../store/schema.ts";
import type { DeliveryState } from "../webhooks/delivery-state.ts";

/**
 * Nylas webhook object (reference §6.1), plus agentbox's `delivery` (the endpoint's progress).
 * The secret only when asked: on create and on rotate.
 */
export function presentWebhook(row: WebhookRow, delivery: DeliveryState, withSecret = false) {
  return {
    id: row.id,
    description: row.description,
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
