/** An event's content as the API sets it, and the columns it is stored in (with what they derive). */
import type { CalendarEventRow } from "../store/schema.ts";
import { seriesEnd, seriesOf } from "./recurrence.ts";
import { spanOf, type When } from "./when.ts";

export type ParticipantStatus = "yes" | "no" | "maybe" | "noreply";

export interface Participant {
  email: string;
  name?: string;
  status: ParticipantStatus;
  comment?: string;
  phone_number?: string;
}

export interface EventFields {
  title: string | null;
  description: string | null;
  location: string | null;
  busy: boolean;
  visibility: string | null;
  status: "confirmed" | "tentative" | "cancelled";
  when: When;
  recurrence: string[] | null;
  participants: Participant[];
  organizer: { email: string; name: string } | null;
  reminders: unknown | null;
  conferencing: unknown | null;
  metadata: Record<string, string>;
  capacity: number | null;
  hideParticipants: boolean;
}

const parsed = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

export function fieldsOf(row: CalendarEventRow): EventFields {
  return {
    title: row.title,
    description: row.description,
    location: row.location,
    busy: row.busy,
    visibility: row.visibility,
    status: row.status as EventFields["status"],
    when: JSON.parse(row.whenJson) as When,
    recurrence: parsed<string[]>(row.recurrenceJson),
    participants: JSON.parse(row.participantsJson) as Participant[],
    organizer: parsed(row.organizerJson),
    reminders: parsed(row.remindersJson),
    conferencing: parsed(row.conferencingJson),
    metadata: JSON.parse(row.metadataJson) as Record<string, string>,
    capacity: row.capacity,
    hideParticipants: row.hideParticipants,
  };
}

/** The stored columns of `fields`: the JSON ones, the span lists filter by, a series' last end. */
export function columnsOf(fields: EventFields) {
  const span = spanOf(fields.when);
  const recurring = fields.recurrence && fields.recurrence.length > 0 ? fields.recurrence : null;
  return {
    title: fields.title,
    description: fields.description,
    location: fields.location,
    busy: fields.busy,
    visibility: fields.visibility,
    status: fields.status,
    whenJson: JSON.stringify(fields.when),
    startAt: span.start,
    endAt: span.end,
    recurrenceJson: recurring && JSON.stringify(recurring),
    seriesEnd: recurring ? seriesEnd(seriesOf(recurring, fields.when)) : null,
    participantsJson: JSON.stringify(fields.participants),
    organizerJson: fields.organizer && JSON.stringify(fields.organizer),
    remindersJson: fields.reminders === null ? null : JSON.stringify(fields.reminders),
    conferencingJson: fields.conferencing === null ? null : JSON.stringify(fields.conferencing),
    metadataJson: JSON.stringify(fields.metadata),
    capacity: fields.capacity,
    hideParticipants: fields.hideParticipants,
  };
}
