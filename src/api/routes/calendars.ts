import { Elysia } from "elysia";
import { type CalendarView, findCalendar, listCalendars } from "../../calendar/calendars.ts";
import type { CalendarEdit } from "../../calendar/writes.ts";
import { requireTimeZone } from "../../calendar/zone.ts";
import { presentCalendar } from "../../present/calendar.ts";
import type { GrantRow } from "../../store/schema.ts";
import { pageOf } from "../calendar-query.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { selectFields } from "../message-query.ts";
import {
  type Json,
  optionalString,
  pathParam,
  rejectUnknown,
  requiredString,
  requireObject,
} from "../validate.ts";
import { requireGrant } from "./messages.ts";

const FIELDS = ["name", "description", "location", "timezone", "metadata", "hex_color", "notetaker"];

/** /v3/grants/{id}/calendars (reference §5.1): `primary` and the account's address name the primary. */
export function calendarRoutes(deps: ApiDeps) {
  const load = (grant: GrantRow, param: string | undefined): CalendarView => {
    const id = pathParam(param, "calendar id");
    const view = findCalendar(deps.store.read, grant.id, id);
    if (!view) throw notFound(`calendar ${id}`);
    return view;
  };

  return new Elysia()
    .get("/v3/grants/:grantId/calendars", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const pair = q.get("metadata_pair");
      const all = listCalendars(deps.store, grant.id).map(presentCalendar);
      const shown = pair
        ? all.filter(
            (c) =>
              `${Object.entries(c.metadata)
                .find(([k]) => pair.startsWith(`${k}:`))
                ?.join(":")}` === pair,
          )
        : all;
      const { page, next } = pageOf(q, shown);
      const select = selectFields(q);
      return cursorList(request, select ? page.map(select) : page, next);
    })
    .get("/v3/grants/:grantId/calendars/:calendarId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      return single(request, presentCalendar(load(grant, params.calendarId)));
    })
    .post("/v3/grants/:grantId/calendars", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const input = requireObject(body);
      rejectUnknown(input, FIELDS);
      const name = requiredString(input, "name", "name", 1024).trim();
      const { id } = await deps.mailboxes.ask(grant.id, "createCalendar", { ...calendarEdit(input), name });
      return single(request, presentCalendar(load(grant, id)));
    })
    .put("/v3/grants/:grantId/calendars/:calendarId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const calendar = load(grant, params.calendarId);
      const input = requireObject(body);
      rejectUnknown(input, FIELDS);
      const edit = calendarEdit(input);
      if (input.name !== undefined) edit.name = requiredString(input, "name", "name", 1024).trim();
      await deps.mailboxes.ask(grant.id, "updateCalendar", { calendarId: calendar.row.id, ...edit });
      return single(request, presentCalendar(load(grant, calendar.row.id)));
    })
    .delete("/v3/grants/:grantId/calendars/:calendarId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const calendar = load(grant, params.calendarId);
      if (calendar.row.isPrimary) throw badRequest("the primary calendar cannot be deleted");
      await deps.mailboxes.ask(grant.id, "deleteCalendar", { calendarId: calendar.row.id });
      return deleted(request);
    });
}

function calendarEdit(input: Json): CalendarEdit {
  const edit: CalendarEdit = {};
  if (input.description !== undefined)
    edit.description = optionalString(input, "description", "description", 8192) ?? null;
  if (input.location !== undefined)
    edit.location = optionalString(input, "location", "location", 1024) ?? null;
  if (input.hex_color !== undefined)
    edit.hexColor = optionalString(input, "hex_color", "hex_color", 32) ?? null;
  if (input.timezone !== undefined) {
    const zone = optionalString(input, "timezone", "timezone", 64);
    edit.timezone = zone === undefined ? null : requireTimeZone(zone, "timezone");
  }
  if (input.metadata !== undefined) {
    const m = requireObject(input.metadata, "metadata");
    for (const [k, v] of Object.entries(m))
      if (typeof v !== "string") throw badRequest(`metadata.${k} must be a string`);
    edit.metadata = m as Record<string, string>;
  }
  return edit;
}
