import { UsageError } from "../args.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printNote, printTable } from "../output.ts";
import { accountPath } from "./message.ts";

/** The Nylas event object, as far as the CLI shows it. */
interface Event {
  id: string;
  calendar_id: string;
  title: string;
  description: string | null;
  location: string | null;
  status: string;
  when: {
    object: string;
    time?: number;
    start_time?: number;
    end_time?: number;
    date?: string;
    start_date?: string;
    end_date?: string;
  };
  participants: { email: string; name?: string; status: string }[];
  organizer: { email: string; name?: string };
  recurrence: string[];
  master_event_id: string | null;
}

const eventPath = (account: string, id: string) => accountPath(account, `/events/${encodeURIComponent(id)}`);
const calendarOf = (call: Invocation) => call.option("calendar") ?? "primary";
/** The REST default (true) unless --no-notify: invitations, updates and cancellations are mailed. */
const notify = (call: Invocation) => !call.switch("no-notify");

/** `--start`/`--end`: Unix seconds, or ISO 8601 (UTC when it names no offset). */
function instant(value: string, flag: string): number {
  if (/^\d{1,12}$/.test(value)) return Number(value);
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms))
    throw new UsageError(`--${flag} must be Unix seconds or ISO 8601 (2026-10-05T09:00Z), got "${value}"`);
  return Math.floor(ms / 1000);
}

/** The `when` the options describe: a timespan, a day, or days; undefined when they name none. */
function whenOf(call: Invocation): Record<string, unknown> | undefined {
  const [start, end, date, endDate, zone] = ["start", "end", "date", "end-date", "timezone"].map((f) =>
    call.option(f),
  );
  if (date !== undefined) {
    if (start !== undefined || end !== undefined)
      throw new UsageError("give --date or --start/--end, not both");
    return endDate === undefined ? { date } : { start_date: date, end_date: endDate };
  }
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) throw new UsageError("--start and --end go together");
  return {
    start_time: instant(start, "start"),
    end_time: instant(end, "end"),
    ...(zone !== undefined && { start_timezone: zone, end_timezone: zone }),
  };
}

/** The fields of an event the options name (for create, and for update: only those given). */
function fieldsOf(call: Invocation): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of ["title", "description", "location"]) {
    const value = call.option(key);
    if (value !== undefined) fields[key] = value;
  }
  const when = whenOf(call);
  if (when) fields.when = when;
  const participants = call.option("participants");
  if (participants !== undefined)
    fields.participants = participants
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean)
      .map((email) => ({ email }));
  const rrule = call.option("rrule");
  if (rrule !== undefined) fields.recurrence = [/^RRULE:/i.test(rrule) ? rrule : `RRULE:${rrule}`];
  return fields;
}

const FIELD_OPTIONS = [
  "calendar",
  "title",
  "description",
  "location",
  "start",
  "end",
  "date",
  "end-date",
  "timezone",
  "participants",
  "rrule",
];
const FIELD_USAGE =
  "[--title T] [--start TIME --end TIME [--timezone TZ] | --date YYYY-MM-DD [--end-date D]] [--location L] [--description D] [--participants A,B] [--rrule FREQ=WEEKLY;BYDAY=MO] [--calendar ID] [--no-notify] [--json]";

function whenText(w: Event["when"]): [string, string] {
  if (w.date) return [w.date, w.date];
  if (w.start_date) return [w.start_date, w.end_date ?? ""];
  if (w.time !== undefined) return [isoTime(w.time), isoTime(w.time)];
  return [isoTime(w.start_time), isoTime(w.end_time)];
}

function showEvent(e: Event): void {
  const [start, end] = whenText(e.when);
  printFields([
    ["ID", e.id],
    ["Title", e.title || "-"],
    ["Start", start],
    ["End", end],
    ["Status", e.status],
    ["Location", e.location ?? "-"],
    ["Organizer", e.organizer?.email || "-"],
    ["Participants", e.participants.map((p) => `${p.email} (${p.status})`).join(", ") || "-"],
    ...(e.recurrence.length ? [["Recurrence", e.recurrence.join(" ")] as [string, string]] : []),
    ...(e.master_event_id ? [["Series", e.master_event_id] as [string, string]] : []),
  ]);
  if (e.description) {
    printLine();
    printLine(e.description);
  }
}

const list: Command = {
  name: "event list",
  usage:
    "<account> [--calendar ID] [--start TIME] [--end TIME] [--title S] [--limit N] [--show-cancelled] [--json]",
  summary: "List events by start, series expanded into occurrences (TIME: Unix seconds or ISO 8601)",
  args: ["account"],
  options: ["calendar", "start", "end", "title", "limit"],
  switches: ["show-cancelled", "json"],
  async run(call) {
    const start = call.option("start");
    const end = call.option("end");
    const result = await call.client.get<Event[]>(accountPath(call.arg(0), "/events"), {
      calendar_id: calendarOf(call),
      start: start === undefined ? undefined : instant(start, "start"),
      end: end === undefined ? undefined : instant(end, "end"),
      title: call.option("title"),
      show_cancelled: call.switch("show-cancelled") ? "true" : undefined,
      limit: call.positiveInt("limit") ?? 50,
    });
    if (call.json) return printJson(result.data);
    const rows = result.data.map((e) => {
      const [from, to] = whenText(e.when);
      return [e.id, from, to, e.title.slice(0, 60), e.status];
    });
    printTable(["ID", "START", "END", "TITLE", "STATUS"], rows, "No events.");
    if (result.nextCursor) printNote("(more: raise --limit or narrow --start/--end)");
  },
};

const get: Command = {
  name: "event get",
  usage: "<account> <id> [--calendar ID] [--json]",
  summary: "Show an event (or one occurrence of a series)",
  args: ["account", "id"],
  options: ["calendar"],
  switches: ["json"],
  async run(call) {
    const event = (
      await call.client.get<Event>(eventPath(call.arg(0), call.arg(1)), { calendar_id: calendarOf(call) })
    ).data;
    if (call.json) return printJson(event);
    showEvent(event);
  },
};

const create: Command = {
  name: "event create",
  usage: `<account> ${FIELD_USAGE}`,
  summary: "Create an event; participants get an invitation by email unless --no-notify",
  args: ["account"],
  options: FIELD_OPTIONS,
  switches: ["no-notify", "json"],
  async run(call) {
    const fields = fieldsOf(call);
    if (!fields.when) throw new UsageError("say when: --start and --end, or --date");
    const event = (
      await call.client.call<Event>("POST", accountPath(call.arg(0), "/events"), {
        query: { calendar_id: calendarOf(call), notify_participants: notify(call) },
        body: fields,
      })
    ).data;
    if (call.json) return printJson(event);
    printLine("Event created.");
    showEvent(event);
  },
};

const update: Command = {
  name: "event update",
  usage: `<account> <id> ${FIELD_USAGE}`,
  summary: "Change the given fields of an event; participants get the update unless --no-notify",
  args: ["account", "id"],
  options: FIELD_OPTIONS,
  switches: ["no-notify", "json"],
  async run(call) {
    const fields = fieldsOf(call);
    if (Object.keys(fields).length === 0)
      throw new UsageError("say what to change: --title, --start/--end, --location, --participants…");
    const event = (
      await call.client.call<Event>("PUT", eventPath(call.arg(0), call.arg(1)), {
        query: { calendar_id: calendarOf(call), notify_participants: notify(call) },
        body: fields,
      })
    ).data;
    if (call.json) return printJson(event);
    printLine("Event updated.");
    showEvent(event);
  },
};

const remove: Command = {
  name: "event delete",
  usage: "<account> <id> [--calendar ID] [--no-notify]",
  summary: "Delete an event or a series (an occurrence id cancels that occurrence); participants are told",
  args: ["account", "id"],
  options: ["calendar"],
  switches: ["no-notify"],
  async run(call) {
    await call.client.call("DELETE", eventPath(call.arg(0), call.arg(1)), {
      query: { calendar_id: calendarOf(call), notify_participants: notify(call) },
    });
    printLine(`Event ${call.arg(1)} deleted.`);
  },
};

const ANSWERS = ["yes", "no", "maybe"];

const rsvp: Command = {
  name: "event rsvp",
  usage: "<account> <id> <yes|no|maybe> [--calendar ID] [--no-notify] [--json]",
  summary: "Answer an invitation; the organizer gets the answer by email unless --no-notify",
  args: ["account", "id", "status"],
  options: ["calendar"],
  switches: ["no-notify", "json"],
  async run(call) {
    const status = call.arg(2);
    if (!ANSWERS.includes(status)) throw new UsageError(`the answer is one of: ${ANSWERS.join(", ")}`);
    const result = await call.client.call<{ send_ics_error?: { type: string; message: string } }>(
      "POST",
      `${eventPath(call.arg(0), call.arg(1))}/send-rsvp`,
      { query: { calendar_id: calendarOf(call), skip_nylas_email: !notify(call) }, body: { status } },
    );
    if (call.json) return printJson(result.data);
    const failed = result.data?.send_ics_error;
    if (failed) throw new Error(`answer recorded (${status}) but not sent: ${failed.message}`);
    printLine(`Answered ${status}${notify(call) ? "; the organizer was told" : ""}.`);
  },
};

export const eventCommands: CommandGroup = {
  title: "Events",
  commands: [list, get, create, update, remove, rsvp],
};
