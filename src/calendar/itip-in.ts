/**
 * An iTIP message received by mail (RFC 5546): what it asks of the account's calendar. Parsed
 * with ical.js; times with a TZID keep their zone when the runtime knows it (Google, Apple); a
 * TZID it does not know (Outlook's Windows names) is read through the message's own VTIMEZONE
 * (the right instant, stored without a zone), or in UTC without one; all-day values stay dates.
 */
import ICAL from "ical.js";
import type { EventFields, Participant, ParticipantStatus } from "./event-fields.ts";
import { dateOf, type When } from "./when.ts";
import { instantOf, isTimeZone } from "./zone.ts";

export interface ItipIn {
  method: "REQUEST" | "REPLY" | "CANCEL";
  uid: string;
  sequence: number;
  /** The occurrence a message is about (RECURRENCE-ID), as a Unix start; absent for the whole event. */
  recurrenceId?: number;
  fields: EventFields;
}

const STATUS: Record<string, ParticipantStatus> = {
  ACCEPTED: "yes",
  DECLINED: "no",
  TENTATIVE: "maybe",
  "NEEDS-ACTION": "noreply",
};

/**
 * Zones a calendar defines itself (its VTIMEZONEs), by TZID: how its times in zones the runtime
 * does not know are read. Kept per parse, never registered process-wide (one account's definitions
 * are not another's).
 */
export type OwnZones = ReadonlyMap<string, ICAL.Timezone>;

/** The calendar's VTIMEZONEs by TZID (an unreadable one is left out). */
export function ownZones(calendar: ICAL.Component): OwnZones {
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (typeof tzid !== "string") continue;
    try {
      zones.set(tzid, new ICAL.Timezone({ component: vtimezone, tzid }));
    } catch {}
  }
  return zones;
}

/** The first VEVENT of a REQUEST, REPLY or CANCEL; null for anything else or unreadable text. */
export function parseItip(text: string): ItipIn | null {
  return parseItipEvents(text)[0] ?? null;
}

/**
 * Every readable VEVENT of a REQUEST, REPLY or CANCEL, the whole event (no RECURRENCE-ID) first:
 * Apple sends a series with its changed occurrences, Google and Outlook one occurrence alone.
 */
export function parseItipEvents(text: string): ItipIn[] {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch {
    return [];
  }
  const method = String(calendar.getFirstPropertyValue("method") ?? "").toUpperCase();
  if (method !== "REQUEST" && method !== "REPLY" && method !== "CANCEL") return [];
  const kind: ItipIn["method"] = method;
  const zones = ownZones(calendar);
  return calendar
    .getAllSubcomponents("vevent")
    .flatMap((vevent) => {
      const read = readVevent(vevent, method === "CANCEL", zones);
      return read ? [{ method: kind, ...read }] : [];
    })
    .sort((a, b) => Number(a.recurrenceId !== undefined) - Number(b.recurrenceId !== undefined));
}

/** One VEVENT as an event: null without a UID, a start or a readable time. */
export function readVevent(
  vevent: ICAL.Component,
  cancelled = false,
  zones: OwnZones = new Map(),
): Omit<ItipIn, "method"> | null {
  const uid = vevent.getFirstPropertyValue("uid");
  const start = vevent.getFirstProperty("dtstart");
  if (typeof uid !== "string" || !uid || !start) return null;
  const when = whenOf(vevent, zones);
  if (!when) return null;
  const text_ = (name: string) => {
    const v = vevent.getFirstPropertyValue(name);
    return typeof v === "string" && v !== "" ? v : null;
  };
  const recurrenceIdProp = vevent.getFirstProperty("recurrence-id");
  const recurrenceId = recurrenceIdProp ? instantOfProperty(recurrenceIdProp, zones) : undefined;
  const recurrence = ["rrule", "exdate", "rdate"].flatMap((name) =>
    vevent.getAllProperties(name).map((p) => p.toICALString()),
  );
  const status = String(vevent.getFirstPropertyValue("status") ?? "").toUpperCase();
  return {
    uid,
    sequence: Number(vevent.getFirstPropertyValue("sequence") ?? 0) || 0,
    ...(recurrenceId !== undefined && recurrenceId !== null && { recurrenceId }),
    fields: {
      title: text_("summary"),
      description: text_("description"),
      location: text_("location"),
      busy: String(vevent.getFirstPropertyValue("transp") ?? "OPAQUE").toUpperCase() !== "TRANSPARENT",
      visibility: null,
      status:
        status === "CANCELLED" || cancelled
          ? "cancelled"
          : status === "TENTATIVE"
            ? "tentative"
            : "confirmed",
      when,
      recurrence: recurrence.length > 0 && recurrenceId === undefined ? recurrence : null,
      participants: vevent.getAllProperties("attendee").flatMap(participantOf),
      organizer: addressOf(vevent.getFirstProperty("organizer")),
      reminders: null,
      conferencing: null,
      metadata: {},
      capacity: null,
      hideParticipants: false,
    },
  };
}

/** The invitation's participants, with the account's own answer as it stands here (noreply when new). */
export function withOwnAnswer(
  itip: ItipIn,
  account: string,
  status: ParticipantStatus | undefined,
): Participant[] {
  return itip.fields.participants.map((p) =>
    p.email.toLowerCase() === account.toLowerCase() ? { ...p, status: status ?? "noreply" } : p,
  );
}

function emailOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.replace(/^mailto:/i, "").trim();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

function addressOf(p: ICAL.Property | null): { email: string; name: string } | null {
  const email = emailOf(p?.getFirstValue());
  if (!p || !email) return null;
  const cn = p.getParameter("cn");
  return { email, name: typeof cn === "string" ? cn : "" };
}

function participantOf(p: ICAL.Property): Participant[] {
  const address = addressOf(p);
  if (!address) return [];
  const partstat = String(p.getParameter("partstat") ?? "NEEDS-ACTION").toUpperCase();
  return [
    {
      email: address.email,
      ...(address.name && { name: address.name }),
      status: STATUS[partstat] ?? "noreply",
    },
  ];
}

/**
 * A DATE-TIME property's instant: in its TZID when the runtime knows it, else through the
 * message's VTIMEZONE of that TZID, else UTC; a DATE's UTC midnight.
 */
function instantOfProperty(p: ICAL.Property, zones: OwnZones): number | null {
  const t = p.getFirstValue();
  if (!(t instanceof ICAL.Time)) return null;
  if (t.isDate) return Date.UTC(t.year, t.month - 1, t.day) / 1000;
  const tzid = p.getParameter("tzid");
  const described = typeof tzid === "string" && !isTimeZone(tzid) ? zones.get(tzid) : undefined;
  if (described && t.zone !== ICAL.Timezone.utcTimezone) {
    const local = t.clone();
    local.zone = described;
    return local.toUnixTime();
  }
  const zone =
    t.zone === ICAL.Timezone.utcTimezone || typeof tzid !== "string" || !isTimeZone(tzid) ? "UTC" : tzid;
  return instantOf(
    { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
    zone,
  );
}

function zoneOfProperty(p: ICAL.Property): string | undefined {
  const tzid = p.getParameter("tzid");
  return typeof tzid === "string" && isTimeZone(tzid) ? tzid : undefined;
}

function whenOf(vevent: ICAL.Component, zones: OwnZones): When | null {
  const startProp = vevent.getFirstProperty("dtstart");
  if (!startProp) return null;
  const startValue = startProp.getFirstValue();
  const start = instantOfProperty(startProp, zones);
  if (start === null || !(startValue instanceof ICAL.Time)) return null;
  const endProp = vevent.getFirstProperty("dtend");
  const duration = vevent.getFirstPropertyValue("duration");
  let end = endProp ? instantOfProperty(endProp, zones) : null;
  if (end === null && duration instanceof ICAL.Duration) end = start + duration.toSeconds();
  if (startValue.isDate) {
    const last = end !== null && end > start ? end - 86_400 : start;
    const first = dateOf(start);
    return last <= start
      ? { object: "date", date: first }
      : { object: "datespan", start_date: first, end_date: dateOf(last) };
  }
  const zone = zoneOfProperty(startProp);
  const endZone = endProp ? (zoneOfProperty(endProp) ?? zone) : zone;
  if (end === null || end <= start) return { object: "time", time: start, ...(zone && { timezone: zone }) };
  return {
    object: "timespan",
    start_time: start,
    end_time: end,
    ...(zone && endZone && { start_timezone: zone, end_timezone: endZone }),
  };
}
