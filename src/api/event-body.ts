/** An event request's body (reference §5.2) as the fields the calendar stores. */
import type { EventFields, Participant, ParticipantStatus } from "../calendar/event-fields.ts";
import { parseRecurrence } from "../calendar/recurrence.ts";
import { parseWhen, type When } from "../calendar/when.ts";
import { badRequest } from "./errors.ts";
import { type Json, optionalBoolean, optionalString, requireObject } from "./validate.ts";

const VISIBILITY = ["default", "public", "private"];
export const STATUSES: readonly ParticipantStatus[] = ["yes", "no", "maybe", "noreply"];
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** What the body changes; a create passes every field through `withDefaults`. */
export function parseEventChange(input: Json, current: { when: When; participants: Participant[] } | null) {
  const change: Partial<EventFields> = {};
  if (input.when !== undefined) change.when = parseWhen(input.when);
  for (const key of ["title", "description", "location"] as const) {
    if (input[key] !== undefined)
      change[key] = optionalString(input, key, key, key === "description" ? 8192 : 1024) ?? null;
  }
  if (input.busy !== undefined) change.busy = optionalBoolean(input, "busy", "busy") ?? true;
  if (input.visibility !== undefined) {
    const v = optionalString(input, "visibility", "visibility", 16) ?? null;
    if (v !== null && !VISIBILITY.includes(v))
      throw badRequest(`visibility must be one of: ${VISIBILITY.join(", ")}`);
    change.visibility = v;
  }
  if (input.participants !== undefined)
    change.participants = participants(input.participants, current?.participants ?? []);
  if (input.recurrence !== undefined) {
    const when = change.when ?? current?.when;
    if (!when) throw badRequest("when is required");
    change.recurrence = input.recurrence === null ? null : parseRecurrence(input.recurrence, when);
  }
  if (input.reminders !== undefined)
    change.reminders = input.reminders === null ? null : requireObject(input.reminders, "reminders");
  if (input.conferencing !== undefined)
    change.conferencing =
      input.conferencing === null ? null : requireObject(input.conferencing, "conferencing");
  if (input.metadata !== undefined) change.metadata = metadata(input.metadata);
  if (input.capacity !== undefined) {
    if (input.capacity !== null && !Number.isInteger(input.capacity))
      throw badRequest("capacity must be a whole number");
    change.capacity = input.capacity as number | null;
  }
  if (input.hide_participants !== undefined)
    change.hideParticipants = optionalBoolean(input, "hide_participants", "hide_participants") ?? false;
  return change;
}

/** A new event's fields: `when` is required, the rest has Nylas's defaults. */
export function withDefaults(
  change: Partial<EventFields>,
  organizer: { email: string; name: string },
): EventFields {
  if (!change.when) throw badRequest("when is required");
  return {
    title: null,
    description: null,
    location: null,
    busy: true,
    visibility: null,
    status: "confirmed",
    recurrence: null,
    participants: [],
    reminders: null,
    conferencing: null,
    metadata: {},
    capacity: null,
    hideParticipants: false,
    ...change,
    when: change.when,
    organizer,
  };
}

function participants(value: unknown, current: Participant[]): Participant[] {
  if (!Array.isArray(value)) throw badRequest("participants must be an array");
  return value.map((raw, i) => {
    const p = requireObject(raw, `participants[${i}]`);
    const email = optionalString(p, "email", `participants[${i}].email`, 320);
    if (!email || !EMAIL.test(email)) throw badRequest(`participants[${i}].email must be an email address`);
    const given = optionalString(p, "status", `participants[${i}].status`, 16);
    if (given !== undefined && !STATUSES.includes(given as ParticipantStatus))
      throw badRequest(`participants[${i}].status must be one of: ${STATUSES.join(", ")}`);
    const known = current.find((c) => c.email.toLowerCase() === email.toLowerCase());
    return {
      email,
      status: (given as ParticipantStatus | undefined) ?? known?.status ?? "noreply",
      ...optional(p, "name", i),
      ...optional(p, "comment", i),
      ...optional(p, "phone_number", i),
    };
  });
}

function optional(p: Json, key: string, i: number) {
  const v = optionalString(p, key, `participants[${i}].${key}`, 1024);
  return v === undefined ? {} : { [key]: v };
}

function metadata(value: unknown): Record<string, string> {
  const m = requireObject(value, "metadata");
  for (const [k, v] of Object.entries(m))
    if (typeof v !== "string") throw badRequest(`metadata.${k} must be a string`);
  return m as Record<string, string>;
}
