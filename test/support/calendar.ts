import type { EventFields } from "../../src/calendar/event-fields.ts";

/** An event's fields for tests: a confirmed, busy timespan [start, end), with `over` applied. */
export function eventFields(start: number, end: number, over: Partial<EventFields> = {}): EventFields {
  return {
    title: "t",
    description: null,
    location: null,
    busy: true,
    visibility: null,
    status: "confirmed",
    when: { object: "timespan", start_time: start, end_time: end },
    recurrence: null,
    participants: [],
    organizer: null,
    reminders: null,
    conferencing: null,
    metadata: {},
    capacity: null,
    hideParticipants: false,
    ...over,
  };
}
