import { z } from "zod";
import { grantPath, resolveGrant } from "../grant.ts";
import { defineTool, READ } from "../tool.ts";
import { grantArg } from "./schemas.ts";

/** Calendars and availability: where events live, and when people are free. */

type Row = Record<string, unknown>;

const calendar = z.looseObject({
  id: z.string(),
  name: z.string(),
  is_primary: z.boolean(),
  timezone: z.string().nullable(),
});

function summarizeCalendar(c: Row) {
  return {
    id: String(c.id),
    name: String(c.name ?? ""),
    description: (c.description as string | null | undefined) ?? null,
    location: (c.location as string | null | undefined) ?? null,
    timezone: (c.timezone as string | null | undefined) ?? null,
    is_primary: Boolean(c.is_primary),
    read_only: Boolean(c.read_only),
  };
}

export const listCalendars = defineTool({
  name: "list_calendars",
  title: "List calendars",
  description:
    'The calendars of an account; the primary one is also reachable as "primary" wherever a calendar_id goes.',
  input: { grant: grantArg },
  output: { calendars: z.array(calendar) },
  hints: READ,
  run: async (ctx, { grant }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, "/calendars"), { limit: 200 });
    return { calendars: (reply.body.data as Row[]).map(summarizeCalendar) };
  },
});

const openHours = z.object({
  days: z.array(z.number().int().min(0).max(6)).describe("0 = Sunday … 6 = Saturday"),
  timezone: z.string().describe("IANA time zone of start and end"),
  start: z.string().describe('"9:00"'),
  end: z.string().describe('"17:00"'),
  exdates: z.array(z.string()).optional().describe('Days off, "YYYY-MM-DD"'),
});

const slot = z.object({
  emails: z.array(z.string()).describe("Who is free for this slot"),
  start_time: z.number().describe("Unix seconds"),
  end_time: z.number().describe("Unix seconds"),
});

export const availability = defineTool({
  name: "availability",
  title: "Find available times",
  description:
    "Slots of duration_minutes between start_time and end_time (Unix seconds, multiples of 5 minutes) when the participants (accounts of this API key) are free, from their calendars and open hours. collective: everyone is free; max-availability (default): at least one is, named in emails.",
  input: {
    participants: z
      .array(z.object({ email: z.string().min(1), open_hours: z.array(openHours).optional() }))
      .min(1)
      .max(50)
      .describe("The accounts whose calendars are read"),
    start_time: z.number().int().describe("Unix seconds"),
    end_time: z.number().int().describe("Unix seconds"),
    duration_minutes: z.number().int().min(5).describe("Length of a slot (a multiple of 5)"),
    interval_minutes: z.number().int().min(5).optional().describe("Step between slots (default: duration)"),
    round_to: z.number().int().min(5).optional().describe("Slots start at multiples of it (default 15)"),
    availability_method: z.enum(["collective", "max-availability", "max-fairness"]).optional(),
    buffer: z
      .object({ before: z.number().int().min(0).max(120), after: z.number().int().min(0).max(120) })
      .partial()
      .optional()
      .describe("Minutes kept free around each busy event"),
    default_open_hours: z.array(openHours).optional().describe("For participants without open_hours"),
  },
  output: { order: z.array(z.string()), time_slots: z.array(slot) },
  hints: READ,
  run: async (ctx, args) => {
    const rules = {
      availability_method: args.availability_method,
      buffer: args.buffer,
      default_open_hours: args.default_open_hours,
    };
    const reply = await ctx.api.post("/v3/calendars/availability", {
      participants: args.participants,
      start_time: args.start_time,
      end_time: args.end_time,
      duration_minutes: args.duration_minutes,
      interval_minutes: args.interval_minutes,
      round_to: args.round_to,
      availability_rules: Object.values(rules).some((v) => v !== undefined) ? rules : undefined,
    });
    const data = reply.body.data as { order?: string[]; time_slots?: Row[] | null };
    return {
      order: data.order ?? [],
      time_slots: (data.time_slots ?? []).map((s) => ({
        emails: (s.emails as string[]) ?? [],
        start_time: Number(s.start_time),
        end_time: Number(s.end_time),
      })),
    };
  },
});
