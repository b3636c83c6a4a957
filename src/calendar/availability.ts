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

/** Whether a participant is free (buffers included) and open over [from, to). */
function freeChecker(p: AvailabilityParticipant, q: AvailabilityQuery) {
  const busy = p.busy
    .map((b) => ({ start: b.start - q.bufferBeforeS, end: b.end + q.bufferAfterS }))
    .sort((a, b) => a.start - b.start);
  return (from: number, to: number): boolean => {
    for (const b of busy) {
      if (b.start >= to) break;
      if (b.end > from) return false;
    }
    return p.openHours.length === 0 || p.openHours.some((h) => isOpen(h, from, to));
  };
}

function minutesOf(hm: string): number {
  const [h = "0", m = "0"] = hm.split(":");
  return Number(h) * 60 + Number(m);
}

/** Whether [from, to) falls inside one day's open hours of `h`. */
function isOpen(h: OpenHours, from: number, to: number): boolean {
  const day = wallClockAt(from, h.timezone);
  const date = `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
  if (h.exdates.includes(date)) return false;
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  if (!h.days.includes(weekday)) return false;
  const at = (minutes: number) =>
    instantOf(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: Math.floor(minutes / 60),
        minute: minutes % 60,
        second: 0,
      },
      h.timezone,
    );
  return from >= at(minutesOf(h.start)) && to <= at(minutesOf(h.end));
}
