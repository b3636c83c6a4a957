/**
 * Every trigger type a webhook may subscribe to: the Nylas spec's `trigger_types` enum plus what
 * SDK 8.4.0 enumerates (reference §6.1). A subscription to anything else is a 400.
 */
export const TRIGGER_TYPES = [
  "calendar.created",
  "calendar.updated",
  "calendar.deleted",
  "event.created",
  "event.updated",
  "event.deleted",
  // agentbox, beyond Nylas: an event's start and end as they pass (src/calendar/clock.ts).
  "event.starting",
  "event.ending",
  "grant.created",
  "grant.updated",
  "grant.deleted",
  "grant.expired",
  "grant.imap_sync_completed",
  "message.created",
  "message.created.cleaned",
  "message.created.truncated",
  "message.updated",
  "message.updated.truncated",
  "message.deleted",
  "message.send_success",
  "message.send_failed",
  "message.bounce_detected",
  "message.opened",
  "message.opened.legacy",
  "message.link_clicked",
  "message.link_clicked.legacy",
  "thread.replied",
  "thread.replied.legacy",
  "message.delivered",
  "message.bounced",
  "message.complaint",
  "message.rejected",
  "message.transactional.delivered",
  "message.transactional.bounced",
  "message.transactional.complaint",
  "message.transactional.rejected",
  "message.intelligence.order",
  "message.intelligence.tracking",
  "folder.created",
  "folder.updated",
  "folder.deleted",
  // agentbox's own: Nylas has no contact.created (its providers' upserts are contact.updated).
  "contact.created",
  "contact.updated",
  "contact.deleted",
  "booking.created",
  "booking.pending",
  "booking.rescheduled",
  "booking.cancelled",
  "booking.reminder",
  "notetaker.created",
  "notetaker.updated",
  "notetaker.deleted",
  "notetaker.meeting_state",
  "notetaker.media",
  // agentbox's own: an outbound message held for review by a rule, and its release.
  "message.held",
  "message.released",
] as const;

export type TriggerType = (typeof TRIGGER_TYPES)[number];

const KNOWN = new Set<string>(TRIGGER_TYPES);

export function isTriggerType(value: string): value is TriggerType {
  return KNOWN.has(value);
}

/**
 * Whether an endpoint subscribed to `triggers` receives an event of `type`. A large
 * message.created is delivered as message.created.truncated: either subscription receives it.
 */
export function subscribes(triggers: ReadonlySet<string>, type: string): boolean {
  return triggers.has(type) || triggers.has(`${type}.truncated`);
}

/** The event types to read from the log for these triggers (a `.truncated` trigger needs its base type). */
export function eventTypesFor(triggers: Iterable<string>): string[] {
  const types = new Set<string>();
  for (const t of triggers) {
    types.add(t);
    if (t.endsWith(".truncated")) types.add(t.slice(0, -".truncated".length));
  }
  return [...types];
}
