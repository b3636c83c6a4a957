import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printJson, printLine, printTable } from "../output.ts";

interface Application {
  id: string;
  name: string;
  default: boolean;
  created_at: number;
}

const create: Command = {
  name: "app create",
  usage: "<name> [--json]",
  summary: "Create an application (operator key only)",
  args: ["name"],
  switches: ["json"],
  async run(call) {
    const app = (await call.client.post<Application>("/v3/admin/applications", { name: call.arg(0) })).data;
    if (call.json) return printJson(app);
    printLine(`Application "${app.name}" created (id ${app.id}).`);
    printLine(`Give it a key with: agentbox key create --app ${app.id}`);
  },
};

const list: Command = {
  name: "app list",
  usage: "[--json]",
  summary: "List applications",
  switches: ["json"],
  async run(call) {
    const apps = (await call.client.get<Application[]>("/v3/admin/applications")).data;
    if (call.json) return printJson(apps);
    const rows = apps.map((a) => [a.id, a.name, a.default ? "yes" : "", isoTime(a.created_at)]);
    printTable(["ID", "NAME", "DEFAULT", "CREATED"], rows, "No applications.");
  },
};

export const appCommands: CommandGroup = { title: "Applications", commands: [create, list] };
