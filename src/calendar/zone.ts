/**
 * Wall-clock times in an IANA time zone and the instants they name, through Intl (the runtime's
 * tz database): what a recurring 09:00 meeting in Paris is on each day, across DST changes.
 */
import { MailboxError } from "../domain/errors.ts";

/** A civil date and time, without a zone. Months are 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    formatFor(zone);
    return true;
  } catch {
    return false;
  }
}

export function requireTimeZone(zone: string, field: string): string {
  if (!isTimeZone(zone)) throw new MailboxError("invalid", `${field} is not an IANA time zone: ${zone}`);
  return zone;
}

/** The wall clock in `zone` at `seconds` (Unix), through the cached offset. */
export function wallClockAt(seconds: number, zone: string): WallClock {
  return wallClockOfFloating(new Date((seconds + offsetAt(seconds, zone)) * 1000));
}

/** The wall clock as Intl reads it (what the offsets are cached from). */
function intlWallClock(seconds: number, zone: string): WallClock {
  const parts = formatFor(zone).formatToParts(new Date(seconds * 1000));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000;

/** Offsets by zone and quarter hour: every zone's transitions fall on a quarter hour of UTC. */
const offsets = new Map<string, number>();
const QUARTER = 900;
const MAX_CACHED_OFFSETS = 200_000;

/** Seconds `zone` is ahead of UTC at the instant `seconds`. */
export function offsetAt(seconds: number, zone: string): number {
  const key = `${zone} ${Math.floor(seconds / QUARTER)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = Math.floor(seconds / QUARTER) * QUARTER;
    offset = asUtc(intlWallClock(at, zone)) - at;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const readsAs = (seconds: number, zone: string, local: number) => seconds + offsetAt(seconds, zone) === local;

/**
 * The instant a wall clock names in `zone`. A time skipped by a spring-forward gap moves forward
 * by the gap (02:30 → 03:30), and an ambiguous one in the autumn takes its first occurrence, as
 * RFC 5545 §3.3.5 says.
 */
export function instantOf(w: WallClock, zone: string): number {
  const local = asUtc(w);
  const first = local - offsetAt(local, zone);
  const second = local - offsetAt(first, zone);
  if (second === first) {
    const earlier = local - offsetAt(first - 3600, zone);
    return earlier < first && readsAs(earlier, zone, local) ? earlier : first;
  }
  // In a gap neither guess reads back as `local`: take the later offset's reading.
  return readsAs(second, zone, local) ? second : Math.max(first, second);
}

/** A wall clock read as if it were UTC (how rrule expands floating times). */
export function floatingDate(w: WallClock): Date {
  return new Date(asUtc(w) * 1000);
}

export function wallClockOfFloating(d: Date): WallClock {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
