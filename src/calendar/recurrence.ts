/**
 * A series' occurrences (RFC 5545 RRULE, RDATE, EXDATE) from its `recurrence` lines and its first
 * `when`. Rules are expanded by `rrule` on floating wall-clock times in the event's zone (so a
 * 09:00 meeting stays at 09:00 across DST changes), then each wall clock becomes its instant.
 */
import { RRule } from "rrule";
import { MailboxError } from "../domain/errors.ts";
import { spanOf, type When, zoneOf } from "./when.ts";
import {
  floatingDate,
  instantOf,
  isTimeZone,
  type WallClock,
  wallClockAt,
  wallClockOfFloating,
} from "./zone.ts";

/** A parsed series, ready to expand. */
export interface Series {
  rule: RRule | null;
  /** Extra occurrences and removed ones, as floating times (ms). */
  rdates: number[];
  exdates: Set<number>;
  zone: string;
  /** The first occurrence's start (Unix seconds) and length. */
  start: number;
  duration: number;
  /** Every occurrence's start up to `until`, once computed (see `occurrences`). */
  expanded?: { until: number; starts: number[] } | "too many";
}

const MAX_ZONE_OFFSET_S = 14 * 3600;
/** How many occurrences make a series "unbounded" for the purpose of its stored last end. */
const BOUNDED_LIMIT = 10_000;

const invalid = (message: string) => new MailboxError("invalid", message);

/** Checks a request's `recurrence` lines and returns them. */
export function parseRecurrence(value: unknown, when: When): string[] {
  if (!Array.isArray(value) || value.some((l) => typeof l !== "string"))
    throw invalid("recurrence must be an array of strings (RRULE, EXDATE, RDATE lines)");
  const lines = value as string[];
  if (lines.length > 0) seriesOf(lines, when);
  return lines;
}

export function seriesOf(lines: readonly string[], when: When): Series {
  const zone = zoneOf(when);
  const span = spanOf(when);
  const dtstart = floatingDate(wallClockAt(span.start, zone));
  let rule: RRule | null = null;
  const rdates: number[] = [];
  const exdates = new Set<number>();
  for (const raw of lines) {
    const line = raw.trim();
    const name = line.slice(0, line.search(/[:;]|$/)).toUpperCase();
    if (name === "RRULE") {
      if (rule) throw invalid("recurrence has more than one RRULE");
      rule = parseRule(line, dtstart, zone);
    } else if (name === "EXDATE" || name === "RDATE") {
      const times = dateValues(line, zone, dtstart);
      for (const t of times) name === "EXDATE" ? exdates.add(t) : rdates.push(t);
    } else if (line !== "") {
      throw invalid(`recurrence line not understood (RRULE, EXDATE or RDATE): ${raw}`);
    }
  }
  if (!rule && rdates.length === 0) throw invalid("recurrence needs an RRULE or an RDATE");
  return { rule, rdates, exdates, zone, start: span.start, duration: span.end - span.start };
}

function parseRule(line: string, dtstart: Date, zone: string): RRule {
  const text = line.slice(line.indexOf(":") + 1);
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (e) {
    throw invalid(`recurrence RRULE is not valid: ${(e as Error).message}`);
  }
  if (options.freq === undefined) throw invalid("recurrence RRULE needs FREQ");
  if (options.count != null && options.until != null)
    throw invalid("recurrence RRULE has both COUNT and UNTIL");
  // UNTIL=…Z names an instant; rrule compares floating times, so move it to the zone's wall clock.
  const until = /UNTIL=(\d{8}T\d{6}Z)/i.exec(text);
  if (until?.[1] && options.until)
    options.until = floatingDate(wallClockAt(options.until.getTime() / 1000, zone));
  return new RRule({ ...options, dtstart, tzid: null });
}

/** EXDATE/RDATE values as floating times in `zone` (a DATE value takes the series' time of day). */
function dateValues(line: string, zone: string, dtstart: Date): number[] {
  const colon = line.indexOf(":");
  if (colon < 0) throw invalid(`recurrence line has no value: ${line}`);
  const params = line.slice(0, colon).toUpperCase();
  const named = /;TZID=([^;:]+)/i.exec(line.slice(0, colon))?.[1]?.replace(/^"|"$/g, "");
  const tzid = named && isTimeZone(named) ? named : undefined;
  return line
    .slice(colon + 1)
    .split(",")
    .map((v) => {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(v.trim());
      if (!m) throw invalid(`recurrence date not understood: ${v}`);
      const [, year, month, day, hour, minute, second] = m.map(Number) as number[];
      const date = { year: year ?? 0, month: month ?? 0, day: day ?? 0 };
      if (m[4] === undefined || /;VALUE=DATE(;|$)/.test(params))
        return Date.UTC(date.year, date.month - 1, date.day) + (dtstart.getTime() % 86_400_000);
      const wall: WallClock = { ...date, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 };
      if (m[7] === "Z" || tzid) {
        const instant = m[7] === "Z" ? floatingDate(wall).getTime() / 1000 : instantOf(wall, tzid ?? zone);
        return floatingDate(wallClockAt(instant, zone)).getTime();
      }
      return floatingDate(wall).getTime();
    });
}

/** How far ahead a series' occurrences are computed at once, and how many are kept. */
const EXPANSION_AHEAD_S = 2 * 366 * 86_400;
const MAX_KEPT_OCCURRENCES = 20_000;

/**
 * The starts (Unix seconds) of every occurrence that starts within [from, to], in order. A series
 * computes its occurrences from its first once, up to two years past the furthest window asked
 * (rrule iterates from DTSTART whatever the window), and answers later windows by binary search;
 * a series with too many occurrences to keep is expanded per window.
 */
export function occurrences(series: Series, from: number, to: number): number[] {
  if (series.expanded !== "too many" && (!series.expanded || series.expanded.until < to)) {
    const until = Math.max(to, Math.floor(Date.now() / 1000)) + EXPANSION_AHEAD_S;
    const starts = expand(series, series.start, until, MAX_KEPT_OCCURRENCES);
    series.expanded = starts ? { until, starts } : "too many";
  }
  if (series.expanded === "too many") return expand(series, from, to, Number.POSITIVE_INFINITY) ?? [];
  const { starts } = series.expanded;
  return starts.slice(firstAtOrAfter(starts, from), firstAtOrAfter(starts, to + 1));
}

function firstAtOrAfter(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The starts within [from, to], or null past `limit` of them. */
function expand(series: Series, from: number, to: number, limit: number): number[] | null {
  const lo = new Date((from - MAX_ZONE_OFFSET_S) * 1000);
  const hi = new Date((to + MAX_ZONE_OFFSET_S) * 1000);
  const floating: number[] = [];
  let tooMany = false;
  series.rule?.between(lo, hi, true, (d) => {
    floating.push(d.getTime());
    tooMany = floating.length > limit;
    return !tooMany;
  });
  if (tooMany) return null;
  for (const r of series.rdates) if (r >= lo.getTime() && r <= hi.getTime()) floating.push(r);
  const starts = new Set<number>();
  for (const f of floating) {
    if (series.exdates.has(f)) continue;
    const start = instantOf(wallClockOfFloating(new Date(f)), series.zone);
    if (start >= from && start <= to) starts.add(start);
  }
  return [...starts].sort((a, b) => a - b);
}

/** When a series' last occurrence ends, or null when it has no end (or too many to count). */
export function seriesEnd(series: Series): number | null {
  const rule = series.rule;
  let last = series.start;
  if (rule) {
    if (rule.options.count == null && rule.options.until == null) return null;
    let n = 0;
    let lastFloating = 0;
    rule.all((d) => {
      lastFloating = d.getTime();
      n += 1;
      return n <= BOUNDED_LIMIT;
    });
    if (n > BOUNDED_LIMIT) return null;
    if (n > 0) last = Math.max(last, instantOf(wallClockOfFloating(new Date(lastFloating)), series.zone));
  }
  for (const r of series.rdates)
    last = Math.max(last, instantOf(wallClockOfFloating(new Date(r)), series.zone));
  return last + series.duration;
}
