/**
 * Availability (beyond-mail §7.5): the slots of a window in which participants are free, from
 * their busy times (free-busy.ts), buffers around what keeps them busy, and open hours.
 * Pure: the caller reads the busy times.
 */
import type { BusySlot } from "./free-busy.ts";
import { instantOf, wallClockAt } from "./zone.ts";

/** Weekly hours one is open: `days` 0–6 (Sunday 0), "H:MM" times in `timezone`, skipped dates. */
export interface OpenHours {
  days: number[];
  timezone: string;
  start: string;
  end: string;
  exdates: string[];
}

export interface AvailabilityParticipant {
  email: string;
  busy: BusySlot[];
  openHours: OpenHours[];
}

export interface AvailabilityQuery {
  start: number;
  end: number;
  durationS: number;
  intervalS: number;
  roundToS: number;
  method: "collective" | "max-availability" | "max-fairness";
  bufferBeforeS: number;
  bufferAfterS: number;
}

export interface AvailableSlot {
  emails: string[];
  start_time: number;
  end_time: number;
}

/**
 * Every candidate start (rounded up to `roundTo`, then every `interval`) whose slot fits the
 * window: collective keeps slots where everyone is free, max-availability (and max-fairness,
 * which differs only in its round-robin order) those where at least one is, naming who.
 */
export function availableSlots(
  q: AvailabilityQuery,
  participants: AvailabilityParticipant[],
): AvailableSlot[] {
  const checkers = participants.map((p) => freeChecker(p, q));
  const slots: AvailableSlot[] = [];
  const first = Math.ceil(q.start / q.roundToS) * q.roundToS;
  for (let t = first; t + q.durationS <= q.end; t += q.intervalS) {
    const free = participants.filter((_, i) => checkers[i]?.(t, t + q.durationS));
    const enough = q.method === "collective" ? free.length === participants.length : free.length > 0;
    if (enough) slots.push({ emails: free.map((p) => p.email), start_time: t, end_time: t + q.durationS });
  }
  return slots;
}

/**
 * Whether a participant is free (buffers included) and open over [from, to): its busy times
 * merged into disjoint spans and its open hours laid out as spans over the window, once, so that
 * each candidate slot is two binary searches rather than a walk over every event and a reading
 * of wall clocks.
 */
function freeChecker(p: AvailabilityParticipant, q: AvailabilityQuery) {
  const busy = mergedSpans(
    p.busy.map((b) => ({ start: b.start - q.bufferBeforeS, end: b.end + q.bufferAfterS })),
  );
  const open = p.openHours.length === 0 ? null : openSpans(p.openHours, q.start, q.end);
  return (from: number, to: number): boolean => {
    const i = lastStartingBefore(busy, to);
    if (i >= 0 && (busy[i]?.end ?? 0) > from) return false;
    return open === null || withinOne(open, from, to);
  };
}

type Span = { start: number; end: number };

/** Overlapping or touching spans joined, in order of start. */
function mergedSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end >= s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** The index of the last span starting before `at` (-1 if none). */
function lastStartingBefore(spans: Span[], at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.start ?? 0) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const DAY_S = 86_400;

/** Every day's open hours of every entry over [from, to] (a day either side), by start; not merged. */
function openSpans(hours: OpenHours[], from: number, to: number): Span[] {
  const spans: Span[] = [];
  for (const h of hours) {
    const first = wallClockAt(from - DAY_S, h.timezone);
    const last = wallClockAt(to + DAY_S, h.timezone);
    const lastDay = Date.UTC(last.year, last.month - 1, last.day);
    // Local dates one by one (a day is 23 or 25 hours long around a DST change).
    for (let d = Date.UTC(first.year, first.month - 1, first.day); d <= lastDay; d += DAY_S * 1000) {
      const date = new Date(d);
      if (h.exdates.includes(date.toISOString().slice(0, 10)) || !h.days.includes(date.getUTCDay())) continue;
      const at = (minutes: number) =>
        instantOf(
          {
            year: date.getUTCFullYear(),
            month: date.getUTCMonth() + 1,
            day: date.getUTCDate(),
            hour: Math.floor(minutes / 60),
            minute: minutes % 60,
            second: 0,
          },
          h.timezone,
        );
      spans.push({ start: at(minutesOf(h.start)), end: at(minutesOf(h.end)) });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Whether [from, to) lies inside one of the spans (one day's open hours of one entry). */
function withinOne(spans: Span[], from: number, to: number): boolean {
  for (let i = lastStartingBefore(spans, from + 1); i >= 0; i--) {
    const s = spans[i] as Span;
    if (s.start <= from - DAY_S) break;
    if (to <= s.end) return true;
  }
  return false;
}

function minutesOf(hm: string): number {
  const [h = "0", m = "0"] = hm.split(":");
  return Number(h) * 60 + Number(m);
}
