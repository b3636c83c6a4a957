/**
 * iTIP messages (RFC 5546) for an event: REQUEST and CANCEL from its organizer, REPLY from one
 * participant. Built with ical.js. A timed event kept in a zone goes out in that zone (TZID, and
 * the zone's VTIMEZONE built from the runtime's tz database), so that the receiving calendar
 * shows it, and expands a series, at the same wall clock; other times go out in UTC.
 */
import ICAL from "ical.js";
import type { EventFields, ParticipantStatus } from "./event-fields.ts";
import { seriesEnd, seriesOf } from "./recurrence.ts";
import { vtimezone } from "./vtimezone.ts";
import { dateOf, dateSeconds, isAllDay, spanOf, type When, zoneOf } from "./when.ts";
import { wallClockAt } from "./zone.ts";

const YEAR = 366 * 86_400;
/** How far a VTIMEZONE reaches past an unending series (receivers know common zones anyway). */
const UNENDING_YEARS = 10;

export type ItipMethod = "REQUEST" | "CANCEL" | "REPLY";

export interface ItipEvent {
  uid: string;
  sequence: number;
  fields: EventFields;
  /** For one occurrence of a series: its original start (RECURRENCE-ID). */
  recurrenceId?: number;
}

const PARTSTAT: Record<ParticipantStatus, string> = {
  yes: "ACCEPTED",
  no: "DECLINED",
  maybe: "TENTATIVE",
  noreply: "NEEDS-ACTION",
};

/** The iCalendar text of `method` for `event`; a REPLY carries only `replier`'s answer. */
export function itipText(
  method: ItipMethod,
  event: ItipEvent,
  replier?: { email: string; name?: string; status: ParticipantStatus },
): string {
  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("prodid", "-//agentbox//calendar//EN");
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  calendar.addPropertyWithValue("method", method);
  const zone = zoneOfEvent(event.fields);
  if (zone) calendar.addSubcomponent(vtimezoneFor(event, zone));
  const vevent = veventOf(event, {
    zone,
    cancelled: method === "CANCEL",
    attendees: replier ? [replier] : event.fields.participants,
    rsvp: method === "REQUEST",
    recurrence: method !== "REPLY",
  });
  calendar.addSubcomponent(vevent);
  return `${calendar.toString().replace(/\r?\n/g, "\r\n")}\r\n`;
}

/** The zone a timed event goes out in (its wall clock, with TZID), or null for UTC and all-day. */
export function zoneOfEvent(fields: EventFields): string | null {
  return isAllDay(fields.when) || zoneOf(fields.when) === "UTC" ? null : zoneOf(fields.when);
}

/** The VTIMEZONE of `zone` over the span `event` needs (its whole series, a year either side). */
export function vtimezoneFor(event: ItipEvent, zone: string): ICAL.Component {
  return vtimezone(zone, ...zoneWindow(event));
}

/**
 * One VEVENT of `event`: its times (in `zone` with TZID, else UTC), text, status, organizer,
 * `attendees` and, when asked, its RRULE/EXDATE/RDATE lines (a series' master only). The caller
 * adds the zone's VTIMEZONE to the calendar.
 */
export function veventOf(
  event: ItipEvent,
  options: {
    zone: string | null;
    cancelled: boolean;
    attendees: { email: string; name?: string; status: ParticipantStatus }[];
    rsvp: boolean;
    recurrence: boolean;
  },
): ICAL.Component {
  const vevent = new ICAL.Component("vevent");
  const e = event.fields;
  vevent.addPropertyWithValue("uid", event.uid);
  vevent.addPropertyWithValue("dtstamp", utc(Math.floor(Date.now() / 1000)));
  vevent.addPropertyWithValue("sequence", event.sequence);
  addTimes(vevent, e.when, options.zone);
  if (event.recurrenceId !== undefined) {
    if (isAllDay(e.when)) vevent.addPropertyWithValue("recurrence-id", dateValue(dateOf(event.recurrenceId)));
    else addTime(vevent, "recurrence-id", event.recurrenceId, options.zone);
  }
  if (e.title) vevent.addPropertyWithValue("summary", e.title);
  if (e.description) vevent.addPropertyWithValue("description", e.description);
  if (e.location) vevent.addPropertyWithValue("location", e.location);
  vevent.addPropertyWithValue(
    "status",
    options.cancelled || e.status === "cancelled" ? "CANCELLED" : STATUS[e.status],
  );
  vevent.addPropertyWithValue("transp", e.busy ? "OPAQUE" : "TRANSPARENT");
  if (e.organizer) vevent.addProperty(address("organizer", e.organizer.email, e.organizer.name));
  for (const p of options.attendees) {
    const attendee = address("attendee", p.email, p.name);
    attendee.setParameter("role", "REQ-PARTICIPANT");
    attendee.setParameter("partstat", PARTSTAT[p.status]);
    if (options.rsvp) attendee.setParameter("rsvp", "TRUE");
    vevent.addProperty(attendee);
  }
  if (options.recurrence && event.recurrenceId === undefined)
    for (const line of e.recurrence ?? []) addRecurrenceLine(vevent, line);
  return vevent;
}

const STATUS = { confirmed: "CONFIRMED", tentative: "TENTATIVE", cancelled: "CANCELLED" } as const;

function address(name: string, email: string, cn: string | undefined): ICAL.Property {
  const p = new ICAL.Property(name);
  p.setValue(`mailto:${email}`);
  if (cn) p.setParameter("cn", cn);
  return p;
}

const utc = (seconds: number) => ICAL.Time.fromJSDate(new Date(seconds * 1000), true);

function dateValue(date: string): ICAL.Time {
  return ICAL.Time.fromDateString(date);
}

/** The span a VTIMEZONE must cover: the event, or its whole series, with a year either side. */
function zoneWindow(event: ItipEvent): [number, number] {
  const span = spanOf(event.fields.when);
  let last = span.end;
  if (event.fields.recurrence?.length && event.recurrenceId === undefined) {
    const end = seriesEnd(seriesOf(event.fields.recurrence, event.fields.when));
    last = Math.min(end ?? Number.POSITIVE_INFINITY, span.start + UNENDING_YEARS * YEAR);
  }
  return [span.start - YEAR, Math.max(last, span.end) + YEAR];
}

function addTimes(vevent: ICAL.Component, when: When, zone: string | null): void {
  if (when.object === "date" || when.object === "datespan") {
    const first = when.object === "date" ? when.date : when.start_date;
    const last = when.object === "date" ? when.date : when.end_date;
    vevent.addPropertyWithValue("dtstart", dateValue(first));
    const after = new Date((dateSeconds(last) + 86_400) * 1000).toISOString().slice(0, 10);
    vevent.addPropertyWithValue("dtend", dateValue(after));
    return;
  }
  const span = spanOf(when);
  addTime(vevent, "dtstart", span.start, zone);
  addTime(vevent, "dtend", span.end, zone);
}

/** A DATE-TIME property: the wall clock in `zone` with its TZID, or UTC. */
function addTime(vevent: ICAL.Component, name: string, at: number, zone: string | null): void {
  if (!zone) {
    vevent.addPropertyWithValue(name, utc(at));
    return;
  }
  const w = wallClockAt(at, zone);
  const time = new ICAL.Time(
    {
      year: w.year,
      month: w.month,
      day: w.day,
      hour: w.hour,
      minute: w.minute,
      second: w.second,
      isDate: false,
    },
    ICAL.Timezone.localTimezone,
  );
  vevent.addPropertyWithValue(name, time).setParameter("tzid", zone);
}

/** An RRULE, EXDATE or RDATE line of the event, as its own property. */
function addRecurrenceLine(vevent: ICAL.Component, line: string): void {
  try {
    const parsed = ICAL.Property.fromString(line.trim(), ICAL.design.icalendar);
    vevent.addProperty(parsed);
  } catch {
    // A line this server accepted but ical.js cannot read is left out rather than sent broken.
  }
}
