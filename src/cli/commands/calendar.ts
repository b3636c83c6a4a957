import { UsageError } from "../args.ts";
import type { Command, CommandGroup } from "../command.ts";
import { printFields, printJson, printLine, printTable } from "../output.ts";
import { accountPath } from "./message.ts";

/** The Nylas calendar object, as far as the CLI shows it. */
interface Calendar {
  id: string;
  name: string;
  description: string | null;
  location: string | null;
  timezone: string | null;
  is_primary: boolean;
}

const calendarPath = (account: string, id: string) =>
  accountPath(account, `/calendars/${encodeURIComponent(id)}`);

function showCalendar(c: Calendar): void {
  printFields([
    ["ID", c.id],
    ["Name", c.name],
    ["Primary", c.is_primary ? "yes" : "no"],
    ["Time zone", c.timezone ?? "-"],
    ["Description", c.description ?? "-"],
    ["Location", c.location ?? "-"],
  ]);
}

const list: Command = {
  name: "calendar list",
  usage: "<account> [--json]",
  summary: "List an account's calendars (the primary one first)",
  args: ["account"],
  switches: ["json"],
  async run(call) {
    const calendars = (
      await call.client.get<Calendar[]>(accountPath(call.arg(0), "/calendars"), { limit: 200 })
    ).data;
    if (call.json) return printJson(calendars);
    const rows = calendars.map((c) => [c.id, c.name, c.is_primary ? "yes" : "", c.timezone ?? ""]);
    printTable(["ID", "NAME", "PRIMARY", "TIME ZONE"], rows, "No calendars.");
  },
};

const get: Command = {
  name: "calendar get",
  usage: "<account> <id|primary> [--json]",
  summary: "Show a calendar",
  args: ["account", "id"],
  switches: ["json"],
  async run(call) {
    const calendar = (await call.client.get<Calendar>(calendarPath(call.arg(0), call.arg(1)))).data;
    if (call.json) return printJson(calendar);
    showCalendar(calendar);
  },
};

const create: Command = {
  name: "calendar create",
  usage: "<account> --name N [--description D] [--location L] [--timezone TZ] [--json]",
  summary: "Create a calendar (TZ: an IANA time zone)",
  args: ["account"],
  options: ["name", "description", "location", "timezone"],
  switches: ["json"],
  async run(call) {
    const name = call.option("name");
    if (!name) throw new UsageError("--name is required");
    const calendar = (
      await call.client.post<Calendar>(accountPath(call.arg(0), "/calendars"), {
        name,
        description: call.option("description"),
        location: call.option("location"),
        timezone: call.option("timezone"),
      })
    ).data;
    if (call.json) return printJson(calendar);
    printLine("Calendar created.");
    showCalendar(calendar);
  },
};

const remove: Command = {
  name: "calendar delete",
  usage: "<account> <id>",
  summary: "Delete a calendar and its events (not the primary one)",
  args: ["account", "id"],
  async run(call) {
    await call.client.delete(calendarPath(call.arg(0), call.arg(1)));
    printLine(`Calendar ${call.arg(1)} deleted.`);
  },
};

export const calendarCommands: CommandGroup = { title: "Calendars", commands: [list, get, create, remove] };
