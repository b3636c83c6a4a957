import { type Envelope, envelopeOf, limitSize } from "../events/envelope.ts";
import type { EventRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { objectOf } from "./event-object.ts";

/**
 * An event as the events API and the SSE stream show it: the webhook envelope with the event's
 * own id (a webhook notification's id is per endpoint) and no delivery attempt.
 */
export function logEnvelope(store: Store, event: EventRow): Envelope {
  return logNotification(store, event).envelope;
}

/** The same, with the JSON text limitSize already made (the event stream sends that). */
export function logNotification(store: Store, event: EventRow): { envelope: Envelope; json: string } {
  return limitSize(envelopeOf(event, objectOf(store, event), event.id));
}
