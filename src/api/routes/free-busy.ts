import { Elysia } from "elysia";
import { findGrantByEmail } from "../../accounts/grants.ts";
import { busySlots } from "../../calendar/free-busy.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { json } from "../http.ts";
import { requireObject } from "../validate.ts";
import { requireGrant } from "./messages.ts";

/** The longest window one free/busy request may ask about. */
const MAX_WINDOW_S = 90 * 86_400;

/**
 * POST /v3/grants/{id}/calendars/free-busy (beyond-mail §7.4): the busy times of each address
 * that is an account of the caller's application; any other address is an `error` entry (an
 * outside calendar cannot be read). Always 200.
 */
export function freeBusyRoutes(deps: ApiDeps) {
  return new Elysia().post("/v3/grants/:grantId/calendars/free-busy", async ({ request, params, body }) => {
    const grant = await requireGrant(deps, request, params.grantId);
    const input = requireObject(body);
    const start = seconds(input.start_time, "start_time");
    const end = seconds(input.end_time, "end_time");
    if (end <= start) throw badRequest("end_time must be after start_time");
    if (end - start > MAX_WINDOW_S) throw badRequest("the window may be at most 90 days");
    if (
      !Array.isArray(input.emails) ||
      input.emails.length === 0 ||
      input.emails.some((e) => typeof e !== "string")
    )
      throw badRequest("emails must be a non-empty array of addresses");
    if (input.emails.length > 50) throw badRequest("emails may name at most 50 addresses");
    const data = (input.emails as string[]).map((email) => {
      const owner = findGrantByEmail(deps.store, email);
      if (!owner || owner.applicationId !== grant.applicationId)
        return {
          email,
          object: "error",
          time_slots: null,
          error: `no calendar of this application for ${email}`,
        };
      const time_slots = busySlots(deps.store.read, owner.id, start, end).map((s) => ({
        start_time: s.start,
        end_time: s.end,
        status: "busy",
        object: "time_slot",
      }));
      return { email, object: "free_busy", time_slots };
    });
    return json(request, 200, { data });
  });
}

function seconds(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw badRequest(`${field} must be a Unix time in seconds`);
  return value as number;
}
