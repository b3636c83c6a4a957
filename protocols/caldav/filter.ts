/**
 * calendar-query's filter (RFC 4791 §9.7): comp-filter, prop-filter, param-filter with
 * is-not-defined, text-match (i;ascii-casemap substring, negate-condition) and time-range. A
 * time-range on VEVENT is decided on the stored instances (series expanded); the rest is
 * evaluated on the resource's iCalendar components, parsed with ical.js.
 */
import ICAL from "ical.js";
import { calendarObjectText } from "../../src/calendar/calendar-object.ts";
import { type DavResource, resourceOverlaps } from "../../src/calendar/dav-resources.ts";
import { DavError } from "./errors.ts";
import { utcSeconds } from "./utc-time.ts";
import { CALDAV, child, childrenNamed, propName, type XmlElement } from "./xml.ts";

const invalidFilter = (message: string) => new DavError(403, message, propName(CALDAV, "valid-filter"));

/** A predicate over resources, from the query's CALDAV:filter. */
export function compileFilter(filter: XmlElement | undefined): (r: DavResource) => boolean {
  if (!filter) throw invalidFilter("calendar-query needs a CALDAV:filter");
  const top = childrenNamed(filter, CALDAV, "comp-filter");
  if (top.length !== 1 || String(top[0]?.attrs.name).toUpperCase() !== "VCALENDAR")
    throw invalidFilter("the filter's comp-filter must name VCALENDAR");
  const root = top[0] as XmlElement;
  checkFilter(root);
  const range = timeRangeOnly(root);
  if (range === "any") return () => true;
  if (range) return (resource) => resourceOverlaps(resource, range.from, range.to);
  return (resource) => {
    const calendar = new ICAL.Component(ICAL.parse(calendarObjectText(resource.master, resource.exceptions)));
    return matchComponent(root, [calendar], resource);
  };
}

/**
 * What most clients send: VCALENDAR > VEVENT with at most a time-range. Every resource is a
 * VEVENT, so it is decided on the stored instances alone, without writing and parsing iCalendar.
 */
function timeRangeOnly(root: XmlElement): { from: number; to: number } | "any" | null {
  if (root.children.length === 0) return "any";
  if (root.children.length !== 1) return null;
  const vevent = root.children[0] as XmlElement;
  if (
    vevent.ns !== CALDAV ||
    vevent.name !== "comp-filter" ||
    String(vevent.attrs.name).toUpperCase() !== "VEVENT"
  )
    return null;
  if (vevent.children.length === 0) return "any";
  const only = vevent.children[0] as XmlElement;
  if (vevent.children.length !== 1 || only.ns !== CALDAV || only.name !== "time-range") return null;
  return rangeOf(only);
}

function checkFilter(comp: XmlElement): void {
  for (const range of childrenNamed(comp, CALDAV, "time-range")) rangeOf(range);
  for (const inner of childrenNamed(comp, CALDAV, "comp-filter")) {
    if (!inner.attrs.name) throw invalidFilter("a comp-filter needs a name");
    checkFilter(inner);
  }
}

function rangeOf(range: XmlElement): { from: number; to: number } {
  const parse = (value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const seconds = utcSeconds(value);
    if (seconds === null)
      throw invalidFilter(`time-range values are UTC date-times (YYYYMMDDTHHMMSSZ): ${value}`);
    return seconds;
  };
  if (range.attrs.start === undefined && range.attrs.end === undefined)
    throw invalidFilter("a time-range needs start or end");
  return {
    from: parse(range.attrs.start, Number.MIN_SAFE_INTEGER),
    to: parse(range.attrs.end, Number.MAX_SAFE_INTEGER),
  };
}

/** Does some component of `candidates` named as `filter` match it (or, with is-not-defined, none exist)? */
function matchComponent(filter: XmlElement, candidates: ICAL.Component[], resource: DavResource): boolean {
  const name = String(filter.attrs.name).toLowerCase();
  const named = candidates.filter((c) => c.name === name);
  if (child(filter, CALDAV, "is-not-defined")) return named.length === 0;
  if (named.length === 0) return false;
  const range = child(filter, CALDAV, "time-range");
  if (range) {
    if (name !== "vevent") return false;
    const { from, to } = rangeOf(range);
    if (!resourceOverlaps(resource, from, to)) return false;
  }
  return named.some(
    (component) =>
      childrenNamed(filter, CALDAV, "comp-filter").every((inner) =>
        matchComponent(inner, component.getAllSubcomponents(), resource),
      ) && childrenNamed(filter, CALDAV, "prop-filter").every((p) => matchProperty(p, component)),
  );
}

function matchProperty(filter: XmlElement, component: ICAL.Component): boolean {
  const props = component.getAllProperties(String(filter.attrs.name ?? "").toLowerCase());
  if (child(filter, CALDAV, "is-not-defined")) return props.length === 0;
  if (props.length === 0) return false;
  const match = child(filter, CALDAV, "text-match");
  const params = childrenNamed(filter, CALDAV, "param-filter");
  return props.some(
    (p) =>
      (!match || textMatches(match, p.getValues().map(String).join(","))) &&
      params.every((pf) => {
        const value = p.getParameter(String(pf.attrs.name ?? "").toLowerCase());
        if (child(pf, CALDAV, "is-not-defined")) return value === undefined;
        const m = child(pf, CALDAV, "text-match");
        return value !== undefined && (!m || textMatches(m, String(value)));
      }),
  );
}

function textMatches(match: XmlElement, value: string): boolean {
  const found = value.toLowerCase().includes(match.text.toLowerCase());
  return match.attrs["negate-condition"] === "yes" ? !found : found;
}
