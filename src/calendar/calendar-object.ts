/**
 * A CalDAV calendar object resource (RFC 4791 §4.1): one VCALENDAR holding a single event, or a
 * series' master with its exceptions (RECURRENCE-ID), all of one UID. Written and read with
 * ical.js through the same VEVENT code as iTIP. A cancelled occurrence is written as an EXDATE
 * of the master, which is what calendar apps write when a person deletes one occurrence.
 */
import ICAL from "ical.js";
import type { CalendarEventRow } from "../store/schema.ts";
import { type EventFields, fieldsOf } from "./event-fields.ts";
import { seriesOfRow } from "./events.ts";
import { veventOf, vtimezoneFor, zoneOfEvent } from "./itip.ts";
import { ownZones, readVevent } from "./itip-in.ts";
import { occurrences, seriesOf } from "./recurrence.ts";
import { dateOf, isAllDay, whenAt } from "./when.ts";

export interface CalendarObject {
  uid: string;
  sequence: number;
  master: EventFields;
  exceptions: { recurrenceId: number; sequence: number; fields: EventFields }[];
}

/** Why a body is not a calendar object resource, as RFC 4791 §5.3.2.1 names the precondition. */
export type ObjectRefusal =
  | { refused: "valid-calendar-data"; reason: string }
  | { refused: "supported-calendar-component"; reason: string }
  | { refused: "valid-calendar-object-resource"; reason: string };

export function calendarObjectText(
  master: CalendarEventRow,
  exceptions: readonly CalendarEventRow[],
): string {
  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("prodid", "-//agentbox//calendar//EN");
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  const fields = fieldsOf(master);
  const cancelled = exceptions.filter((e) => e.status === "cancelled" && e.originalStartTime !== null);
  const recurrence = fields.recurrence && [
    ...fields.recurrence,
    ...cancelled.map((e) => exdateLine(fields, e.originalStartTime ?? 0)),
  ];
  const zone = zoneOfEvent(fields);
  if (zone)
    calendar.addSubcomponent(vtimezoneFor({ uid: master.icalUid, sequence: master.sequence, fields }, zone));
  calendar.addSubcomponent(component(master, { ...fields, recurrence }, zone));
  for (const e of exceptions) {
    if (e.status === "cancelled" || e.originalStartTime === null) continue;
    calendar.addSubcomponent(component(e, fieldsOf(e), zone, e.originalStartTime));
  }
  return `${calendar.toString().replace(/\r?\n/g, "\r\n")}\r\n`;
}

/**
 * The resource with its series expanded over [from, to) (RFC 4791 §9.6.5, CALDAV:expand): one
 * VEVENT per instance overlapping the window, each with its RECURRENCE-ID, no RRULE, times in UTC.
 */
export function expandedObjectText(
  master: CalendarEventRow,
  exceptions: readonly CalendarEventRow[],
  from: number,
  to: number,
): string {
  if (!master.recurrenceJson) return calendarObjectText(master, exceptions);
  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("prodid", "-//agentbox//calendar//EN");
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  const overlaps = (start: number, end: number) =>
    end > start ? start < to && end > from : start >= from && start < to;
  const fields = fieldsOf(master);
  const duration = master.endAt - master.startAt;
  const replaced = new Map(exceptions.map((e) => [e.originalStartTime, e]));
  const instances: [number, ICAL.Component][] = [];
  for (const start of occurrences(seriesOfRow(master), Math.max(from - duration, master.startAt), to)) {
    const exception = replaced.get(start);
    if (exception) continue;
    if (!overlaps(start, start + duration)) continue;
    instances.push([
      start,
      component(master, { ...fields, when: whenAt(fields.when, start), recurrence: null }, null, start),
    ]);
  }
  for (const e of exceptions) {
    if (e.status === "cancelled" || e.originalStartTime === null || !overlaps(e.startAt, e.endAt)) continue;
    instances.push([e.startAt, component(e, fieldsOf(e), null, e.originalStartTime)]);
  }
  for (const [, vevent] of instances.sort((a, b) => a[0] - b[0])) calendar.addSubcomponent(vevent);
  return `${calendar.toString().replace(/\r?\n/g, "\r\n")}\r\n`;
}

/** One VEVENT; its bytes depend only on the stored row, so one ETag is one representation. */
function component(
  row: CalendarEventRow,
  fields: EventFields,
  zone: string | null,
  recurrenceId?: number,
): ICAL.Component {
  const vevent = veventOf(
    { uid: row.icalUid, sequence: row.sequence, fields, ...(recurrenceId !== undefined && { recurrenceId }) },
    { zone, cancelled: false, attendees: fields.participants, rsvp: false, recurrence: true },
  );
  vevent.updatePropertyWithValue("dtstamp", utc(row.updatedAt));
  vevent.addPropertyWithValue("created", utc(row.createdAt));
  vevent.addPropertyWithValue("last-modified", utc(row.updatedAt));
  const visibility =
    fields.visibility === "private" || fields.visibility === "public" ? fields.visibility : null;
  if (visibility) vevent.addPropertyWithValue("class", visibility.toUpperCase());
  for (const alarm of alarmsOf(fields)) vevent.addSubcomponent(alarm);
  return vevent;
}

interface Reminders {
  use_default?: boolean;
  overrides?: { reminder_minutes?: number; reminder_method?: string }[];
}

/** The event's reminder overrides as VALARMs (EMAIL for `email`, DISPLAY for anything else). */
function alarmsOf(fields: EventFields): ICAL.Component[] {
  const overrides = (fields.reminders as Reminders | null)?.overrides ?? [];
  return overrides.flatMap((o) => {
    if (typeof o.reminder_minutes !== "number" || !Number.isFinite(o.reminder_minutes)) return [];
    const alarm = new ICAL.Component("valarm");
    const email = o.reminder_method === "email";
    alarm.addPropertyWithValue("action", email ? "EMAIL" : "DISPLAY");
    alarm.addPropertyWithValue("trigger", ICAL.Duration.fromSeconds(-Math.round(o.reminder_minutes) * 60));
    alarm.addPropertyWithValue("description", fields.title ?? "Reminder");
    if (email) alarm.addPropertyWithValue("summary", fields.title ?? "Reminder");
    return [alarm];
  });
}

/** CLASS and VALARMs, which iTIP does not carry but a calendar app does: visibility and reminders. */
function withAppFields(vevent: ICAL.Component, fields: EventFields): EventFields {
  const cls = String(vevent.getFirstPropertyValue("class") ?? "").toUpperCase();
  const overrides = vevent.getAllSubcomponents("valarm").flatMap((alarm) => {
    const trigger = alarm.getFirstPropertyValue("trigger");
    if (!(trigger instanceof ICAL.Duration)) return [];
    const action = String(alarm.getFirstPropertyValue("action") ?? "").toUpperCase();
    return [
      {
        reminder_minutes: Math.max(0, -trigger.toSeconds() / 60),
        reminder_method: action === "EMAIL" ? "email" : "popup",
      },
    ];
  });
  return {
    ...fields,
    visibility: cls === "PRIVATE" || cls === "CONFIDENTIAL" ? "private" : cls === "PUBLIC" ? "public" : null,
    reminders: overrides.length > 0 ? { use_default: false, overrides } : null,
  };
}

const utc = (seconds: number) => ICAL.Time.fromJSDate(new Date(seconds * 1000), true);

function exdateLine(fields: EventFields, start: number): string {
  if (isAllDay(fields.when)) return `EXDATE;VALUE=DATE:${dateOf(start).replaceAll("-", "")}`;
  return `EXDATE:${new Date(start * 1000).toISOString().replace(/[-:]|\.\d{3}/g, "")}`;
}

/** Reads a PUT body: one UID, one master VEVENT and any number of RECURRENCE-ID overrides. */
export function parseCalendarObject(text: string): CalendarObject | ObjectRefusal {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    return { refused: "valid-calendar-data", reason: `not iCalendar: ${(e as Error).message}` };
  }
  if (calendar.name !== "vcalendar")
    return { refused: "valid-calendar-data", reason: "the body is not a VCALENDAR" };
  if (calendar.getFirstProperty("method"))
    return { refused: "valid-calendar-object-resource", reason: "a stored calendar object has no METHOD" };
  const kinds = calendar.getAllSubcomponents().filter((c) => c.name !== "vtimezone");
  const other = kinds.find((c) => c.name !== "vevent");
  if (other)
    return {
      refused: "supported-calendar-component",
      reason: `${other.name.toUpperCase()} is not supported`,
    };
  const zones = ownZones(calendar);
  const read = kinds.map((c) => {
    const event = readVevent(c, false, zones);
    return event && { ...event, fields: withAppFields(c, event.fields) };
  });
  if (read.length === 0 || read.some((r) => r === null))
    return { refused: "valid-calendar-data", reason: "every VEVENT needs a UID and a readable DTSTART" };
  const events = read as NonNullable<(typeof read)[number]>[];
  const uid = events[0]?.uid ?? "";
  if (events.some((e) => e.uid !== uid))
    return { refused: "valid-calendar-object-resource", reason: "every component must have the same UID" };
  const masters = events.filter((e) => e.recurrenceId === undefined);
  const master = masters[0];
  if (!master || masters.length > 1)
    return {
      refused: "valid-calendar-object-resource",
      reason: "one VEVENT without RECURRENCE-ID is needed",
    };
  if (master.fields.recurrence) {
    try {
      seriesOf(master.fields.recurrence, master.fields.when);
    } catch (e) {
      return { refused: "valid-calendar-data", reason: (e as Error).message };
    }
  } else if (events.length > 1) {
    return {
      refused: "valid-calendar-object-resource",
      reason: "RECURRENCE-ID on an event that does not recur",
    };
  }
  return {
    uid,
    sequence: master.sequence,
    master: master.fields,
    exceptions: events
      .filter((e) => e.recurrenceId !== undefined)
      .map((e) => ({ recurrenceId: e.recurrenceId ?? 0, sequence: e.sequence, fields: e.fields })),
  };
}

export const isRefusal = (o: CalendarObject | ObjectRefusal): o is ObjectRefusal => "refused" in o;
