import { Elysia } from "elysia";
import { type CalendarView, findCalendar } from "../../calendar/calendars.ts";
import type { ParticipantStatus } from "../../calendar/event-fields.ts";
import { type EventView, getEvent, importEvents, listEvents, readRows } from "../../calendar/events.ts";
import type { ItipEvent } from "../../calendar/itip.ts";
import { nowSeconds } from "../../ids.ts";
import { presentEvent } from "../../present/calendar-event.ts";
import { sendItip } from "../../sending/invitation.ts";
import type { GrantRow } from "../../store/schema.ts";
import { calendarIdParam, pageOf, parseEventFilter } from "../calendar-query.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { parseEventChange, withDefaults } from "../event-body.ts";
import { cursorList, deleted, single } from "../http.ts";
import { boolParam, secondsParam, selectFields } from "../message-query.ts";
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
  /** notify_participants (default true): REQUEST or CANCEL to the participants, after the commit. */
  const notify = async (
    grant: GrantRow,
    q: URLSearchParams,
    method: "REQUEST" | "CANCEL",
    view: EventView,
  ) => {
    if (boolParam(q, "notify_participants") === false) return;
    await sendItip(deps, grant, method, itipEventOf(view), view.fields.participants);
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
      const events = readRows(deps.store.read, page).map(presentEvent);
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
      const event = load(grant, calendar, id);
      await notify(grant, q, "REQUEST", event);
      return shown(request, q, event);
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
      const updated = load(grant, calendar, id);
      await notify(grant, q, "REQUEST", updated);
      return shown(request, q, updated);
    })
    .delete("/v3/grants/:grantId/events/:eventId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const event = load(grant, calendar, params.eventId);
      await deps.mailboxes.ask(grant.id, "deleteEvent", { calendarId: calendar.row.id, eventId: event.id });
      await notify(grant, q, "CANCEL", event);
      return deleted(request);
    })
    .post("/v3/grants/:grantId/events/:eventId/send-rsvp", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const calendar = calendarOf(grant, q);
      const event = load(grant, calendar, params.eventId);
      const status = requireObject(body).status;
      if (status !== "yes" && status !== "no" && status !== "maybe")
        throw badRequest("status must be one of: yes, no, maybe");
      const me = grant.email.toLowerCase();
      const participants = event.fields.participants;
      if (!participants.some((p) => p.email.toLowerCase() === me))
        throw badRequest(`${grant.email} is not a participant of this event`);
      const answered = participants.map((p) =>
        p.email.toLowerCase() === me ? { ...p, status: status as ParticipantStatus } : p,
      );
      const { id } = await deps.mailboxes.ask(grant.id, "updateEvent", {
        calendarId: calendar.row.id,
        eventId: event.id,
        change: { participants: answered },
        keepSequence: true,
      });
      const organizer = event.fields.organizer;
      let sendIcsError = null;
      if (boolParam(q, "skip_nylas_email") !== true && organizer && organizer.email.toLowerCase() !== me) {
        const replier = answered.find((p) => p.email.toLowerCase() === me);
        sendIcsError = await sendItip(
          deps,
          grant,
          "REPLY",
          itipEventOf(load(grant, calendar, id)),
          [organizer],
          replier,
        );
      }
      return single(request, sendIcsError ? { send_ics_error: sendIcsError } : {});
    });
}

/** What an iTIP message says of an event (an occurrence carries its RECURRENCE-ID). */
function itipEventOf(view: EventView): ItipEvent {
  const occurrence = view.originalStartTime !== null && view.masterEventId !== null;
  return {
    uid: view.row.icalUid,
    sequence: view.row.sequence,
    fields: { ...view.fields, when: view.when, ...(occurrence && { recurrence: null }) },
    ...(occurrence && view.originalStartTime !== null && { recurrenceId: view.originalStartTime }),
  };
}
