import { findCalendar } from "../calendar/calendars.ts";
import { getEvent } from "../calendar/events.ts";
import { findContact } from "../contacts/contacts.ts";
import { getFolder } from "../mailbox/folders.ts";
import { getMessage } from "../mailbox/messages.ts";
import type { EventRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { presentCalendar } from "./calendar.ts";
import { presentEvent } from "./calendar-event.ts";
import { presentContact } from "./contact.ts";
import { presentFolder } from "./folder.ts";
import { presentMessage } from "./message.ts";

type Recorded = Record<string, unknown> & { id: string };

/** An event whose object may still exist: what the object is, and how its GET presents it now. */
interface Current {
  object: string;
  present(store: Store, grantId: string, recorded: Recorded): unknown | null;
}

/**
 * A message as its GET presents it, except that a draft is `object: "message"` too: Nylas's
 * message.created/updated notifications say "always message" (its notification reference); the
 * folder (`drafts`) tells a draft apart.
 */
const message: Current = {
  object: "message",
  present: (store, grantId, recorded) => {
    const view = getMessage(store, grantId, recorded.id);
    return view && { ...presentMessage(view), object: "message" };
  },
};

const folder: Current = {
  object: "folder",
  present: (store, grantId, recorded) => {
    const view = getFolder(store, grantId, recorded.id);
    return view && presentFolder(view);
  },
};

const calendar: Current = {
  object: "calendar",
  present: (store, grantId, recorded) => {
    const view = findCalendar(store.read, grantId, recorded.id);
    return view && presentCalendar(view);
  },
};

const calendarEvent: Current = {
  object: "event",
  present: (store, grantId, recorded) => {
    if (typeof recorded.calendar_id !== "string") return null;
    const view = getEvent(store.read, grantId, recorded.calendar_id, recorded.id);
    return view && presentEvent(view);
  },
};

/** The message a schedule sent (its Sent copy), with the schedule's fields, as Nylas shapes it. */
const scheduledMessage: Current = {
  object: "message",
  present: (store, grantId, recorded) => {
    const sent = message.present(store, grantId, recorded);
    return sent && { ...sent, schedule_id: recorded.schedule_id, send_at: recorded.send_at };
  },
};

const contact: Current = {
  object: "contact",
  present: (store, grantId, recorded) => {
    const row = findContact(store, grantId, recorded.id);
    return row && presentContact(row);
  },
};

const CURRENT: Record<string, Current> = {
  "message.created": message,
  "message.updated": message,
  "message.send_success": scheduledMessage,
  "folder.created": folder,
  "folder.updated": folder,
  "calendar.created": calendar,
  "calendar.updated": calendar,
  "event.created": calendarEvent,
  "event.updated": calendarEvent,
  "event.starting": calendarEvent,
  "event.ending": calendarEvent,
  "contact.created": contact,
  "contact.updated": contact,
};

/**
 * The `data.object` of an event, as delivered now: an object that still exists is read at
 * delivery time and presented exactly as its GET presents it; when it no longer exists, the
 * object recorded with the event stands in. The other events (deletions, deliverability
 * reports, grant notifications, a schedule that failed) carry the object they recorded.
 */
export function objectOf(store: Store, event: EventRow): unknown {
  const recorded = JSON.parse(event.objectJson) as Record<string, unknown>;
  const current = CURRENT[event.type];
  if (!current || !event.grantId || typeof recorded.id !== "string") return recorded;
  return (
    current.present(store, event.grantId, recorded as Recorded) ?? { object: current.object, ...recorded }
  );
}
