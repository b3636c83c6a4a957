/**
 * An event's `when` (reference §5.2): a moment, a span of time, a day or a span of days, as the
 * API takes and shows it, and the instants it covers (what lists filter and order by).
 */
import { MailboxError } from "../domain/errors.ts";
import { requireTimeZone } from "./zone.ts";

export type When =
  | { object: "time"; time: number; timezone?: string }
  | {
      object: "timespan";
      start_time: number;
      end_time: number;
      start_timezone?: string;
      end_timezone?: string;
    }
  | { object: "date"; date: string }
  | { object: "datespan"; start_date: string; end_date: string };

/** The instants an event covers, in Unix seconds; an all-day event's days are UTC days. */
export interface Span {
  start: number;
  end: number;
}

const DAY = 86_400;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (message: string) => new MailboxError("invalid", message);

/** Reads a request's `when`, whichever of the four shapes it has (`object` may be omitted). */
export function parseWhen(value: unknown): When {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid("when must be an object");
  const w = value as Record<string, unknown>;
  if (w.time !== undefined)
    return { object: "time", time: seconds(w.time, "when.time"), ...zone(w, "timezone") };
  if (w.start_time !== undefined || w.end_time !== undefined) return timespan(w);
  if (w.date !== undefined) return { object: "date", date: date(w.date, "when.date") };
  if (w.start_date !== undefined || w.end_date !== undefined) {
    const start = date(w.start_date, "when.start_date");
    const end = date(w.end_date, "when.end_date");
    if (end < start) throw invalid("when.end_date must not be before when.start_date");
    return { object: "datespan", start_date: start, end_date: end };
  }
  throw invalid("when needs time, start_time and end_time, date, or start_date and end_date");
}

function timespan(w: Record<string, unknown>): When {
  const start = seconds(w.start_time, "when.start_time");
  const end = seconds(w.end_time, "when.end_time");
  if (end < start) throw invalid("when.end_time must not be before when.start_time");
  const startZone = zone(w, "start_timezone");
  const endZone = zone(w, "end_timezone");
  if (Boolean(startZone.start_timezone) !== Boolean(endZone.end_timezone))
    throw invalid("when.start_timezone and when.end_timezone go together: give both or neither");
  return { object: "timespan", start_time: start, end_time: end, ...startZone, ...endZone };
}

function seconds(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw invalid(`${field} must be a Unix time in seconds`);
  return value as number;
}

function date(value: unknown, field: string): string {
  if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw invalid(`${field} must be a date, YYYY-MM-DD`);
  return value;
}

function zone<K extends string>(w: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const value = w[key];
  if (value === undefined || value === null || value === "") return {};
  if (typeof value !== "string") throw invalid(`when.${key} must be a string`);
  return { [key]: requireTimeZone(value, `when.${key}`) } as Partial<Record<K, string>>;
}

export const dateSeconds = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
export const dateOf = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

export function spanOf(w: When): Span {
  switch (w.object) {
    case "time":
      return { start: w.time, end: w.time };
    case "timespan":
      return { start: w.start_time, end: w.end_time };
    case "date":
      return { start: dateSeconds(w.date), end: dateSeconds(w.date) + DAY };
    case "datespan":
      return { start: dateSeconds(w.start_date), end: dateSeconds(w.end_date) + DAY };
  }
}

export const isAllDay = (w: When) => w.object === "date" || w.object === "datespan";

/** The zone a timed event's wall clock is kept in (its recurrence follows it); UTC by default. */
export function zoneOf(w: When): string {
  if (w.object === "time") return w.timezone ?? "UTC";
  if (w.object === "timespan") return w.start_timezone ?? "UTC";
  return "UTC";
}

/** The same `when`, moved so that it starts at `start` (an occurrence of a series). */
export function whenAt(w: When, start: number): When {
  const shift = start - spanOf(w).start;
  switch (w.object) {
    case "time":
      return { ...w, time: start };
    case "timespan":
      return { ...w, start_time: start, end_time: w.end_time + shift };
    case "date":
      return { ...w, date: dateOf(start) };
    case "datespan":
      return { ...w, start_date: dateOf(start), end_date: dateOf(dateSeconds(w.end_date) + shift) };
  }
}
