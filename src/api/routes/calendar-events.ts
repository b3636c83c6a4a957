import { Elysia } from "elysia";
import { type CalendarView, findCalendar } from "../../calendar/calendars.ts";
import { type EventView, getEvent, importEvents, listEvents } from "../../calendar/events.ts";
import { nowSeconds } from "../../ids.ts";
import { presentEvent } from "../../present/calendar-event.ts";
import type { GrantRow } from "../../store/schema.ts";
import { calendarIdParam, pageOf, parseEventFilter } from "../calendar-query.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { parseEventChange, withDefaults } from "../event-body.ts";
import { cursorList, deleted, single } from "../http.ts";
import { secondsParam, selectFields } from "../message-query.ts";
import { pathParam, requireObject } from "../validate.ts";
import { requireGrant } from "./messages.ts";

/** /v3/grants/{id}/events (reference §5.2): every call names its calendar with `calendar_id`. */
export function calendarEventRoutes(deps: ApiDeps) {
  const calendarOf = (grant: GrantRow, q: URLSearchParams): CalendarView => {
    const id = calendarIdParam(q);
    const view = findCalendar(deps.store.read, grant.id, id);
    if (!view) throw notFound(`calendar ${id}`);
    return view;
  };
  const load = (grant: GrantRow, calendar: CalendarView, param: string | undefined): EventView => {
    const id = pathParam(param, "event id");
    const view = getEvent(deps.store.read, grant.id, calendar.row.id, id);
    if (!view) throw notFound(`event ${id}`);
    return view;
  };
  const shown = (request: Request, q: URLSearchParams, view: EventView) => {
    const select = selectFields(q);
    const event = presentEvent(view);
    return single(request, select ? select(event) : event);
  };

  return new Elysia()
    .get("/v3/grants/:grantId/events", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const views = listEvents(deps.store.read, grant.id, calendar.row.id, parseEventFilter(q), nowSeconds());
      const { page, next } = pageOf(q, views);
      const select = selectFields(q);
      const events = page.map(presentEvent);
      return cursorList(request, select ? events.map(select) : events, next);
    })
    .get("/v3/grants/:grantId/events/import", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const views = importEvents(
        deps.store.read,
        grant.id,
        calendar.row.id,
        secondsParam(q, "start"),
        secondsParam(q, "end"),
      );
      const { page, next } = pageOf(q, views, 500);
      const select = selectFields(q);
      const events = page.map((v) => {
        const { metadata: _metadata, ...event } = presentEvent(v);
        return event;
      });
      return cursorList(request, select ? events.map(select) : events, next);
    })
    .get("/v3/grants/:grantId/events/:eventId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      return shown(request, q, load(grant, calendarOf(grant, q), params.eventId));
    })
    .post("/v3/grants/:grantId/events", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const fields = withDefaults(parseEventChange(requireObject(body), null), {
        email: grant.email,
        name: grant.name ?? "",
      });
      const { id } = await deps.mailboxes.ask(grant.id, "createEvent", {
        calendarId: calendar.row.id,
        fields,
      });
      return shown(request, q, load(grant, calendar, id));
    })
    .put("/v3/grants/:grantId/events/:eventId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const event = load(grant, calendar, params.eventId);
      const change = parseEventChange(requireObject(body), {
        when: event.when,
        participants: event.fields.participants,
      });
      const { id } = await deps.mailboxes.ask(grant.id, "updateEvent", {
        calendarId: calendar.row.id,
        eventId: event.id,
        change,
      });
      return shown(request, q, load(grant, calendar, id));
    })
    .delete("/v3/grants/:grantId/events/:eventId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const event = load(grant, calendar, params.eventId);
      await deps.mailboxes.ask(grant.id, "deleteEvent", { calendarId: calendar.row.id, eventId: event.id });
      return deleted(request);
    });
}
