/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, built from the runtime's tz database through
 * Intl (ical.js carries no zone data): one observance per offset change between two instants,
 * each starting at the wall clock it changes from, after one for the offset in force at the
 * start. A receiving calendar that does not know the TZID reads the event's times through it.
 */
import ICAL from "ical.js";
import { offsetAt } from "./zone.ts";

const WEEK = 7 * 86_400;
const QUARTER = 900;

/** The instants in (from, to] where `zone`'s offset changes (no zone changes twice in a week). */
export function transitions(zone: string, from: number, to: number): number[] {
  const found: number[] = [];
  let at = Math.floor(from / QUARTER) * QUARTER;
  while (at < to) {
    const next = Math.min(at + WEEK, Math.ceil(to / QUARTER) * QUARTER);
    if (offsetAt(next, zone) !== offsetAt(at, zone)) found.push(firstChange(zone, at, next));
    at = next;
  }
  return found;
}

/** The first quarter hour in (low, high] whose offset differs from `low`'s. */
function firstChange(zone: string, low: number, high: number): number {
  const before = offsetAt(low, zone);
  let lo = low / QUARTER;
  let hi = high / QUARTER;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * QUARTER, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi * QUARTER;
}

export function vtimezone(zone: string, from: number, to: number): ICAL.Component {
  const component = new ICAL.Component("vtimezone");
  component.addPropertyWithValue("tzid", zone);
  const initial = offsetAt(from, zone);
  component.addSubcomponent(observance(zone, from, initial, initial));
  for (const at of transitions(zone, from, to)) {
    component.addSubcomponent(observance(zone, at, offsetAt(at - 1, zone), offsetAt(at, zone)));
  }
  return component;
}

function observance(zone: string, at: number, offsetFrom: number, offsetTo: number): ICAL.Component {
  const o = new ICAL.Component(offsetTo > offsetFrom ? "daylight" : "standard");
  const local = new Date((at + offsetFrom) * 1000);
  o.addPropertyWithValue(
    "dtstart",
    new ICAL.Time(
      {
        year: local.getUTCFullYear(),
        month: local.getUTCMonth() + 1,
        day: local.getUTCDate(),
        hour: local.getUTCHours(),
        minute: local.getUTCMinutes(),
        second: local.getUTCSeconds(),
        isDate: false,
      },
      ICAL.Timezone.localTimezone,
    ),
  );
  o.addPropertyWithValue("tzoffsetfrom", ICAL.UtcOffset.fromSeconds(offsetFrom));
  o.addPropertyWithValue("tzoffsetto", ICAL.UtcOffset.fromSeconds(offsetTo));
  const name = nameAt(zone, at);
  if (name) o.addPropertyWithValue("tzname", name);
  return o;
}

const names = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at an instant ("CEST", "EST", "GMT+1"), as the runtime says it. */
function nameAt(zone: string, at: number): string | undefined {
  let format = names.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" });
    names.set(zone, format);
  }
  return format.formatToParts(new Date(at * 1000)).find((p) => p.type === "timeZoneName")?.value;
}
