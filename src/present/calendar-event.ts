import type { EventView } from "../calendar/events.ts";

/** The Nylas event object (reference §5.2, the event.created notification's fields). */
export function presentEvent(v: EventView) {
  const e = v.fields;
  const occurrence = v.id !== v.row.id;
  return {
    object: "event",
    id: v.id,
    grant_id: v.row.grantId,
    calendar_id: v.row.calendarId,
    title: e.title ?? "",
    description: e.description,
    location: e.location,
    busy: e.busy,
    read_only: false,
    visibility: e.visibility ?? "default",
    status: e.status,
    when: v.when,
    participants: e.participants.map((p) => ({
      email: p.email,
      name: p.name ?? "",
      status: p.status,
      comment: p.comment ?? "",
      phone_number: p.phone_number ?? "",
    })),
    organizer: e.organizer ?? { email: "", name: "" },
    creator: e.organizer ?? { email: "", name: "" },
    ical_uid: v.row.icalUid,
    html_link: "",
    recurrence: occurrence ? [] : (e.recurrence ?? []),
    master_event_id: v.masterEventId,
    ...(v.originalStartTime !== null && { original_start_time: v.originalStartTime }),
    reminders: e.reminders ?? { use_default: true, overrides: [] },
    conferencing: e.conferencing ?? {},
    capacity: e.capacity ?? -1,
    hide_participants: e.hideParticipants,
    resources: [],
    metadata: e.metadata,
    sequence: v.row.sequence,
    created_at: v.row.createdAt,
    updated_at: v.row.updatedAt,
  };
}
