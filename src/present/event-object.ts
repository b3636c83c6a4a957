import { getMessage } from "../mailbox/messages.ts";
import type { EventRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { presentMessage } from "./message.ts";

/** Events whose log row holds only ids: the notification carries the full Nylas message. */
const FULL_MESSAGE = new Set(["message.created", "message.updated"]);

/**
 * The `data.object` of an event, as delivered now. message.created/updated are built from the
 * store at delivery time (the message as it is now, exactly what GET /messages/{id} returns);
 * when the message no longer exists, the object recorded with the event stands in. Every other
 * event carries the object it recorded.
 */
export function objectOf(store: Store, event: EventRow): unknown {
  const recorded = JSON.parse(event.objectJson) as Record<string, unknown>;
  if (!FULL_MESSAGE.has(event.type) || !event.grantId || typeof recorded.id !== "string") return recorded;
  const view = getMessage(store, event.grantId, recorded.id);
  return view ? presentMessage(view) : { object: "message", ...recorded };
}
