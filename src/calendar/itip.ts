/**
 * iTIP messages (RFC 5546) for an event: REQUEST and CANCEL from its organizer, REPLY from one
 * participant. Built with ical.js. Times go out in UTC, except a series kept in a zone, whose
 * DTSTART names its zone (TZID) so that the receiving calendar expands it at the same wall clock.
 */
import ICAL from "ical.js";
import type { EventFields, ParticipantStatus } from "./event-fields.ts";
import { dateOf, dateSeconds, isAllDay, spanOf, type When, zoneOf } from "./when.ts";
import { wallClockAt } from "./zone.ts";

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
  const vevent = veventOf(event, {
    cancelled: method === "CANCEL",
    attendees: replier ? [replier] : event.fields.participants,
    rsvp: method === "REQUEST",
    recurrence: method !== "REPLY",
  });
  calendar.addSubcomponent(vevent);
  return `${calendar.toString().replace(/\r?\n/g, "\r\n")}\r\n`;
}

/**
 * One VEVENT of `event`: its times (a series in its zone), text, status, organizer, `attendees`
 * and, when asked, its RRULE/EXDATE/RDATE lines (a series' master only).
 */
export function veventOf(
  event: ItipEvent,
  options: {
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
  addTimes(vevent, e.when, Boolean(e.recurrence?.length) && event.recurrenceId === undefined);
  if (event.recurrenceId !== undefined)
    vevent.addPropertyWithValue(
      "recurrence-id",
      isAllDay(e.when) ? dateValue(dateOf(event.recurrenceId)) : utc(event.recurrenceId),
    );
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

function addTimes(vevent: ICAL.Component, when: When, zoned: boolean): void {
  if (when.object === "date" || when.object === "datespan") {
    const first = when.object === "date" ? when.date : when.start_date;
    const last = when.object === "date" ? when.date : when.end_date;
    vevent.addPropertyWithValue("dtstart", dateValue(first));
    const after = new Date((dateSeconds(last) + 86_400) * 1000).toISOString().slice(0, 10);
    vevent.addPropertyWithValue("dtend", dateValue(after));
    return;
  }
  const span = spanOf(when);
  const zone = zoneOf(when);
  if (zoned && zone !== "UTC") {
    for (const [name, at] of [
      ["dtstart", span.start],
      ["dtend", span.end],
    ] as const) {
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
      const p = vevent.addPropertyWithValue(name, time);
      p.setParameter("tzid", zone);
    }
    return;
  }
  vevent.addPropertyWithValue("dtstart", utc(span.start));
  vevent.addPropertyWithValue("dtend", utc(span.end));
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
