import { newUuid } from "../ids.ts";
import type { Tx } from "../store/db.ts";
import type { EventType } from "./types.ts";

export interface EventInput {
  applicationId: string;
  grantId: string | null;
  type: EventType;
  object: unknown;
}

/**
 * Writes one row of the transactional outbox (the event log webhooks and streams read). Always
 * called inside the transaction of the change it announces, so a committed change can never
 * lose its event.
 */
export async function recordEvent(tx: Tx, event: EventInput): Promise<void> {
  tx.$client
    .prepare(
      "INSERT INTO events (id, application_id, grant_id, type, object_json, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(newUuid(), event.applicationId, event.grantId, event.type, JSON.stringify(event.object), Date.now());
}
