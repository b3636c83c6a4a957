import { Elysia } from "elysia";
import { findGrantByEmail } from "../../accounts/grants.ts";
import { type AvailabilityQuery, availableSlots, type OpenHours } from "../../calendar/availability.ts";
import { busySlots } from "../../calendar/free-busy.ts";
import { isTimeZone } from "../../calendar/zone.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { single } from "../http.ts";
import { type Json, requireObject } from "../validate.ts";

const METHODS = ["collective", "max-availability", "max-fairness"] as const;
const MAX_WINDOW_S = 62 * 86_400;
const FIVE_MINUTES = 300;

/**
 * POST /v3/calendars/availability (beyond-mail §7.5): application-level; every participant must
 * be an account of the caller's application (400 naming the first that is not).
 */
export function availabilityRoutes(deps: ApiDeps) {
  return new Elysia().post("/v3/calendars/availability", ({ request, body }) => {
    const applicationId = callerOf(request).applicationId;
    const input = requireObject(body);
    const rules =
      input.availability_rules === undefined
        ? {}
        : requireObject(input.availability_rules, "availability_rules");
    const query = parseQuery(input, rules);
    if (!Array.isArray(input.participants) || input.participants.length === 0)
      throw badRequest("participants must be a non-empty array");
    if (input.participants.length > 50) throw badRequest("participants may name at most 50 accounts");
    const defaultHours = openHours(rules.default_open_hours, "availability_rules.default_open_hours");
    const participants = input.participants.map((raw, i) => {
      const p = requireObject(raw, `participants[${i}]`);
      if (typeof p.email !== "string") throw badRequest(`participants[${i}].email is required`);
      const grant = findGrantByEmail(deps.store, p.email);
      if (!grant || grant.applicationId !== applicationId)
        throw badRequest(`participants[${i}].email ${p.email} is not an account of this application`);
      const own = openHours(p.open_hours, `participants[${i}].open_hours`);
      return {
        email: p.email,
        busy: busySlots(
          deps.store.read,
          grant.id,
          query.start - query.bufferAfterS,
          query.end + query.bufferBeforeS,
        ),
        openHours: own.length > 0 ? own : defaultHours,
      };
    });
    const slots = availableSlots(query, participants);
    return single(request, { order: participants.map((p) => p.email), time_slots: slots });
  });
}

function fiveMinuteMultiple(value: unknown, field: string, unit: number): number {
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < 0 ||
    ((value as number) * unit) % FIVE_MINUTES !== 0
  )
    throw badRequest(
      `${field} must be a whole number of ${unit === 1 ? "seconds" : "minutes"}, a multiple of 5 minutes`,
    );
  return (value as number) * unit;
}

function parseQuery(input: Json, rules: Json): AvailabilityQuery {
  const start = fiveMinuteMultiple(input.start_time, "start_time", 1);
  const end = fiveMinuteMultiple(input.end_time, "end_time", 1);
  if (end <= start) throw badRequest("end_time must be after start_time");
  if (end - start > MAX_WINDOW_S) throw badRequest("the window may be at most 62 days");
  const durationS = fiveMinuteMultiple(input.duration_minutes, "duration_minutes", 60);
  if (durationS === 0) throw badRequest("duration_minutes must be at least 5");
  const intervalS =
    input.interval_minutes === undefined
      ? durationS
      : fiveMinuteMultiple(input.interval_minutes, "interval_minutes", 60);
  const roundToS =
    input.round_to === undefined ? 15 * 60 : fiveMinuteMultiple(input.round_to, "round_to", 60);
  const method = rules.availability_method ?? "max-availability";
  if (!METHODS.includes(method as (typeof METHODS)[number]))
    throw badRequest(`availability_rules.availability_method must be one of: ${METHODS.join(", ")}`);
  const buffer = rules.buffer === undefined ? {} : requireObject(rules.buffer, "availability_rules.buffer");
  const bufferS = (key: "before" | "after") => {
    if (buffer[key] === undefined) return 0;
    const s = fiveMinuteMultiple(buffer[key], `availability_rules.buffer.${key}`, 60);
    if (s > 120 * 60) throw badRequest(`availability_rules.buffer.${key} must be at most 120`);
    return s;
  };
  return {
    start,
    end,
    durationS,
    intervalS: Math.max(intervalS, FIVE_MINUTES),
    roundToS: Math.max(roundToS, FIVE_MINUTES),
    method: method as AvailabilityQuery["method"],
    bufferBeforeS: bufferS("before"),
    bufferAfterS: bufferS("after"),
  };
}

const HM = /^([01]?\d|2[0-4]):([0-5]\d)$/;

function openHours(value: unknown, path: string): OpenHours[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`${path} must be an array`);
  return value.map((raw, i) => {
    const h = requireObject(raw, `${path}[${i}]`);
    const days = h.days;
    if (!Array.isArray(days) || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
      throw badRequest(`${path}[${i}].days must be an array of 0 (Sunday) to 6`);
    for (const key of ["start", "end"] as const)
      if (typeof h[key] !== "string" || !HM.test(h[key] as string))
        throw badRequest(`${path}[${i}].${key} must be H:MM`);
    const timezone = typeof h.timezone === "string" && h.timezone ? h.timezone : "UTC";
    if (!isTimeZone(timezone)) throw badRequest(`${path}[${i}].timezone is not an IANA time zone`);
    const exdates = Array.isArray(h.exdates)
      ? h.exdates.filter((d): d is string => typeof d === "string")
      : [];
    return { days: days as number[], timezone, start: h.start as string, end: h.end as string, exdates };
  });
}
