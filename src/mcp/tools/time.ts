import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { defineTool, READ } from "../tool.ts";

const timezone = z
  .string()
  .optional()
  .describe('An IANA time zone ("Europe/Paris", "America/New_York"); UTC when absent');

const moment = {
  epoch: z.number().int().describe("Unix seconds"),
  iso: z.string().describe("ISO 8601 in UTC"),
  local: z.string().describe("The date and time in the time zone, with its offset"),
  timezone: z.string(),
};

/** The moment in `zone`: "2025-03-01 14:05:09 GMT+01:00, Saturday". */
function describe(epoch: number, zone: string | undefined) {
  const tz = zone ?? "UTC";
  let local: string;
  try {
    local = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      weekday: "long",
      timeZoneName: "longOffset",
    }).format(new Date(epoch * 1000));
  } catch {
    throw new ToolFailure(`unknown time zone "${tz}": use an IANA name such as Europe/Paris`);
  }
  return { epoch, iso: new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"), local, timezone: tz };
}

export const currentTime = defineTool({
  name: "current_time",
  title: "Current time",
  description: "The current date and time (Unix seconds, UTC, and in a time zone).",
  input: { timezone },
  output: moment,
  hints: { ...READ, idempotentHint: false },
  run: async (_ctx, { timezone }) => describe(Math.floor(Date.now() / 1000), timezone),
});

export const epochToDatetime = defineTool({
  name: "epoch_to_datetime",
  title: "Unix time to a date",
  description: "Turns Unix seconds (as in message dates) into a readable date and time in a time zone.",
  input: { epoch: z.number().int().min(0).max(253402300799).describe("Unix seconds"), timezone },
  output: moment,
  hints: READ,
  run: async (_ctx, { epoch, timezone }) => describe(epoch, timezone),
});
