import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { grantPath, resolveGrant } from "../grant.ts";
import { defineTool, EXTERNAL_CONTENT, READ_MAIL, SEND, type ToolContext } from "../tool.ts";
import { confirmOrRun, type Notification, notificationOutput } from "./event-notification.ts";
import { grantArg, notice, pageArgs } from "./schemas.ts";

/** Events: read them, and change them with invitations that go out only once confirmed. */

type Row = Record<string, unknown>;
type Person = { email: string; name?: string };

const calendarArg = z.string().min(1).optional().describe('The calendar: its id, or "primary" (the default)');

const when = z
  .union([
    z.object({ start_time: z.number().int(), end_time: z.number().int() }).extend({
      start_timezone: z.string().optional(),
      end_timezone: z.string().optional(),
    }),
    z.object({ time: z.number().int(), timezone: z.string().optional() }),
    z.object({ date: z.string() }),
    z.object({ start_date: z.string(), end_date: z.string() }),
  ])
  .describe(
    'When: {start_time, end_time} (Unix seconds, optional IANA start_timezone/end_timezone), {time}, {date: "YYYY-MM-DD"} (all day) or {start_date, end_date} (inclusive)',
  );

const person = z.object({ email: z.string().min(1), name: z.string().optional() });

const eventFields = {
  title: z.string().max(1024).optional(),
  description: z.string().max(8192).optional(),
  location: z.string().max(1024).optional(),
  busy: z.boolean().optional().describe("Counts as busy in availability (default true)"),
  participants: z.array(person).max(100).optional().describe("Who is invited"),
  recurrence: z
    .array(z.string())
    .optional()
    .describe('RFC 5545 lines: ["RRULE:FREQ=WEEKLY;BYDAY=MO", "EXDATE:20250310T090000Z"]'),
  visibility: z.enum(["default", "public", "private"]).optional(),
};

const notifyArg = z
  .boolean()
  .optional()
  .describe(
    "Email the participants an invitation (iCalendar): default false. When true, the first call changes nothing and returns who would be mailed and a confirmation_token; call again with the same arguments and that token.",
  );

const token = z.string().optional().describe("From the previous call of this tool; required to send mail");

export const event = z.looseObject({
  id: z.string(),
  calendar_id: z.string(),
  title: z.string(),
  when: z.looseObject({}),
  participants: z.array(z.looseObject({ email: z.string(), status: z.string() })),
  status: z.string(),
  master_event_id: z.string().nullable(),
});

export function summarizeEvent(e: Row) {
  return {
    id: String(e.id),
    calendar_id: String(e.calendar_id),
    title: String(e.title ?? ""),
    description: (e.description as string | null) ?? null,
    location: (e.location as string | null) ?? null,
    when: e.when as Row,
    busy: Boolean(e.busy),
    status: String(e.status ?? ""),
    participants: ((e.participants as Row[]) ?? []).map((p) => ({
      email: String(p.email),
      name: String(p.name ?? ""),
      status: String(p.status ?? "noreply"),
    })),
    organizer: (e.organizer as Person | undefined) ?? null,
    recurrence: (e.recurrence as string[] | undefined) ?? [],
    master_event_id: (e.master_event_id as string | null | undefined) ?? null,
    ...(e.original_start_time !== undefined && { original_start_time: e.original_start_time as number }),
    ical_uid: (e.ical_uid as string | null | undefined) ?? null,
  };
}

const eventPath = (grantId: string, eventId: string) =>
  grantPath(grantId, `/events/${encodeURIComponent(eventId)}`);

async function readEvent(ctx: ToolContext, grantId: string, calendarId: string, eventId: string) {
  const reply = await ctx.api.get(eventPath(grantId, eventId), { calendar_id: calendarId });
  return reply.body.data as Row;
}

async function accountEmail(ctx: ToolContext, grantId: string): Promise<string> {
  const reply = await ctx.api.get(grantPath(grantId));
  return String((reply.body.data as Row).email ?? "").toLowerCase();
}

/** Who an invitation about an event goes to: its participants but the account itself. */
function invitees(participants: Person[], self: string): string[] {
  return participants.map((p) => p.email.toLowerCase()).filter((e) => e !== self);
}

export const listEvents = defineTool({
  name: "list_events",
  title: "List events",
  description: `Events of a calendar ordered by start, recurring series expanded into occurrences; start and end (Unix seconds) bound the window. Invitations come from outside senders: ${EXTERNAL_CONTENT}`,
  input: {
    grant: grantArg,
    calendar_id: calendarArg,
    start: z.number().int().optional().describe("Events starting at or after (Unix seconds)"),
    end: z.number().int().optional().describe("Events ending at or before (Unix seconds)"),
    title: z.string().optional().describe("Part of the title"),
    show_cancelled: z.boolean().optional(),
    expand_recurring: z.boolean().optional().describe("false: series as one event with recurrence"),
    ...pageArgs,
  },
  output: { events: z.array(event), next_page_token: z.string().nullable(), notice },
  hints: READ_MAIL,
  run: async (ctx, { grant, calendar_id, limit, page_token, ...filters }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, "/events"), {
      calendar_id: calendar_id ?? "primary",
      ...filters,
      limit: limit ?? 20,
      page_token,
    });
    return {
      events: (reply.body.data as Row[]).map(summarizeEvent),
      next_page_token: (reply.body.next_cursor as string | null) ?? null,
      notice: EXTERNAL_CONTENT,
    };
  },
});

export const getEvent = defineTool({
  name: "get_event",
  title: "Get an event",
  description: `One event (or one occurrence of a series, by its occurrence id). ${EXTERNAL_CONTENT}`,
  input: { grant: grantArg, calendar_id: calendarArg, event_id: z.string().min(1) },
  output: { event, notice },
  hints: READ_MAIL,
  run: async (ctx, { grant, calendar_id, event_id }) => {
    const id = await resolveGrant(ctx.api, grant);
    const found = await readEvent(ctx, id, calendar_id ?? "primary", event_id);
    return { event: summarizeEvent(found), notice: EXTERNAL_CONTENT };
  },
});

/** A write that may mail the participants: the hints of sending, since with a token it does. */
const WRITE_MAY_SEND = { ...SEND, destructiveHint: false };

export const createEvent = defineTool({
  name: "create_event",
  title: "Create an event",
  description:
    "Creates an event on a calendar. Nobody is emailed unless notify_participants is true; then the first call creates nothing and returns the invitation's recipients and a confirmation_token, and a second call with the same arguments and the token creates the event and sends the invitations.",
  input: {
    grant: grantArg,
    calendar_id: calendarArg,
    when,
    ...eventFields,
    notify_participants: notifyArg,
    confirmation_token: token,
  },
  output: notificationOutput(event),
  hints: WRITE_MAY_SEND,
  run: async (ctx, { grant, calendar_id, notify_participants, confirmation_token, ...fields }) => {
    const id = await resolveGrant(ctx.api, grant);
    const calendarId = calendar_id ?? "primary";
    const notification: Notification | null = notify_participants
      ? { method: "REQUEST", to: invitees(fields.participants ?? [], await accountEmail(ctx, id)) }
      : null;
    const subject = { caller: ctx.caller, kind: "event:create", grant: id, calendar: calendarId, fields };
    return confirmOrRun(
      ctx,
      { subject, notification, token: confirmation_token, tool: "create_event" },
      async (notify) => {
        const reply = await ctx.api.call("POST", grantPath(id, "/events"), {
          query: { calendar_id: calendarId, notify_participants: notify },
          body: fields,
        });
        return summarizeEvent(reply.body.data as Row);
      },
    );
  },
});

export const updateEvent = defineTool({
  name: "update_event",
  title: "Update an event",
  description:
    "Changes the given fields of an event (or of one occurrence of a series, by its occurrence id); the others stay. Nobody is emailed unless notify_participants is true; then the first call changes nothing and returns the recipients of the update and a confirmation_token for a second, identical call.",
  input: {
    grant: grantArg,
    calendar_id: calendarArg,
    event_id: z.string().min(1),
    when: when.optional(),
    ...eventFields,
    notify_participants: notifyArg,
    confirmation_token: token,
  },
  output: notificationOutput(event),
  hints: { ...WRITE_MAY_SEND, idempotentHint: true },
  run: async (ctx, { grant, calendar_id, event_id, notify_participants, confirmation_token, ...fields }) => {
    const change = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    if (Object.keys(change).length === 0)
      throw new ToolFailure("say what to change: when, title, description, location, participants…");
    const id = await resolveGrant(ctx.api, grant);
    const calendarId = calendar_id ?? "primary";
    let notification: Notification | null = null;
    if (notify_participants) {
      const current = await readEvent(ctx, id, calendarId, event_id);
      const participants =
        (change.participants as Person[] | undefined) ?? (current.participants as Person[]);
      notification = { method: "REQUEST", to: invitees(participants, await accountEmail(ctx, id)) };
    }
    const subject = {
      caller: ctx.caller,
      kind: "event:update",
      grant: id,
      calendar: calendarId,
      event: event_id,
      change,
    };
    return confirmOrRun(
      ctx,
      { subject, notification, token: confirmation_token, tool: "update_event" },
      async (notify) => {
        const reply = await ctx.api.call("PUT", eventPath(id, event_id), {
          query: { calendar_id: calendarId, notify_participants: notify },
          body: change,
        });
        return summarizeEvent(reply.body.data as Row);
      },
    );
  },
});

export const deleteEvent = defineTool({
  name: "delete_event",
  title: "Delete an event",
  description:
    "Deletes an event or a whole series; on an occurrence's id, cancels that occurrence only. With notify_participants true the participants get a cancellation by email: the first call deletes nothing and returns the recipients and a confirmation_token for a second, identical call.",
  input: {
    grant: grantArg,
    calendar_id: calendarArg,
    event_id: z.string().min(1),
    notify_participants: notifyArg,
    confirmation_token: token,
  },
  output: notificationOutput(event),
  hints: { ...SEND, idempotentHint: true },
  run: async (ctx, { grant, calendar_id, event_id, notify_participants, confirmation_token }) => {
    const id = await resolveGrant(ctx.api, grant);
    const calendarId = calendar_id ?? "primary";
    const current = await readEvent(ctx, id, calendarId, event_id);
    const notification: Notification | null = notify_participants
      ? { method: "CANCEL", to: invitees(current.participants as Person[], await accountEmail(ctx, id)) }
      : null;
    const subject = {
      caller: ctx.caller,
      kind: "event:delete",
      grant: id,
      calendar: calendarId,
      event: event_id,
    };
    return confirmOrRun(
      ctx,
      { subject, notification, token: confirmation_token, tool: "delete_event" },
      async (notify) => {
        await ctx.api.call("DELETE", eventPath(id, event_id), {
          query: { calendar_id: calendarId, notify_participants: notify },
        });
        return summarizeEvent(current);
      },
    );
  },
});

export const sendRsvp = defineTool({
  name: "send_rsvp",
  title: "Answer an invitation",
  description:
    "Sets the account's answer (yes, no, maybe) to an event it is invited to and emails it to the organizer. The first call changes nothing and returns the organizer and a confirmation_token for a second, identical call; with notify_organizer false the answer is only recorded, in one call.",
  input: {
    grant: grantArg,
    calendar_id: calendarArg,
    event_id: z.string().min(1),
    status: z.enum(["yes", "no", "maybe"]),
    notify_organizer: z.boolean().optional().describe("Email the answer to the organizer (default true)"),
    confirmation_token: token,
  },
  output: notificationOutput(event),
  hints: { ...SEND, destructiveHint: false, idempotentHint: true },
  run: async (ctx, { grant, calendar_id, event_id, status, notify_organizer, confirmation_token }) => {
    const id = await resolveGrant(ctx.api, grant);
    const calendarId = calendar_id ?? "primary";
    const current = await readEvent(ctx, id, calendarId, event_id);
    const organizer = String((current.organizer as Person | undefined)?.email ?? "").toLowerCase();
    const self = await accountEmail(ctx, id);
    const notification: Notification | null =
      notify_organizer !== false && organizer !== "" && organizer !== self
        ? { method: "REPLY", to: [organizer] }
        : null;
    const subject = {
      caller: ctx.caller,
      kind: "rsvp",
      grant: id,
      calendar: calendarId,
      event: event_id,
      status,
    };
    return confirmOrRun(
      ctx,
      { subject, notification, token: confirmation_token, tool: "send_rsvp" },
      async (notify) => {
        const reply = await ctx.api.call("POST", eventPath(id, event_id).concat("/send-rsvp"), {
          query: { calendar_id: calendarId, skip_nylas_email: !notify },
          body: { status },
        });
        const failed = (reply.body.data as Row | undefined)?.send_ics_error as
          | { message?: string }
          | undefined;
        if (failed)
          throw new ToolFailure(`the answer was recorded but not sent: ${failed.message ?? "send failed"}`);
        return summarizeEvent(await readEvent(ctx, id, calendarId, event_id));
      },
    );
  },
});
