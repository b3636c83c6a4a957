import { isTriggerType } from "../webhooks/triggers.ts";
import { badRequest } from "./errors.ts";

/** Query parameters of GET /v3/events and /v3/events/stream. */
export interface EventFilter {
  types: string[] | null;
  grantId: string | null;
}

/** `types=a,b` (or repeated), each a trigger type; `grant_id`. */
export function parseEventFilter(q: URLSearchParams): EventFilter {
  const raw = q.getAll("types").flatMap((v) => v.split(","));
  const types = raw.map((t) => t.trim()).filter((t) => t !== "");
  const unknown = types.filter((t) => !isTriggerType(t));
  if (unknown.length > 0) throw badRequest(`unknown event type in types: ${unknown.join(", ")}`);
  return { types: types.length > 0 ? [...new Set(types)] : null, grantId: q.get("grant_id") || null };
}

/** A log position: a whole number ≥ 0 (the seq of an event, or a next_cursor). */
export function parsePosition(raw: string | null, name: string): number | null {
  if (raw === null || raw === "") return null;
  if (!/^\d{1,15}$/.test(raw))
    throw badRequest(`${name} must be a log position (a whole number, e.g. a next_cursor)`);
  return Number(raw);
}
