import { newUuid } from "../ids.ts";
import type { Tx } from "../store/db.ts";
import { insertEventRow } from "../store/ingest-sql.ts";

export interface EventInput {
  applicationId: string;
  grantId: string | null;
  type: string;
  object: unknown;
}

/**
 * Writes one row of the transactional outbox (the event log webhooks and streams read). Always
 * called inside the transaction of the change it announces, so a committed change can never
 * lose its event.
 */
export async function recordEvent(tx: Tx, event: EventInput): Promise<void> {
  insertEventRow(tx, {
    id: newUuid(),
    applicationId: event.applicationId,
    grantId: event.grantId,
    type: event.type,
    objectJson: JSON.stringify(event.object),
  });
}
