import { countEvents } from "../events/log.ts";
import type { DeliveryState } from "../present/webhook.ts";
import type { WebhookRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { deliveryCounts } from "./deliveries.ts";
import { eventTypesFor } from "./triggers.ts";
import { triggersOf } from "./webhooks.ts";

/** The delivery worker's view, fresher than the row (which it saves every few ms). */
export interface LiveProgress {
  inFlight: number;
  cursor: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export function deliveryState(store: Store, row: WebhookRow, live: LiveProgress | null): DeliveryState {
  const { pending, failed } = deliveryCounts(store, row.id);
  const now = live ?? { ...row, inFlight: 0 };
  return {
    cursor: now.cursor,
    backlog: countEvents(store, row.applicationId, now.cursor, eventTypesFor(triggersOf(row))),
    in_flight: now.inFlight,
    pending,
    failed,
    last_success_at: now.lastSuccessAt,
    last_error: now.lastError,
    last_error_at: now.lastErrorAt,
  };
}
