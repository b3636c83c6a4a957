import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printJson, printLine, printTable } from "../output.ts";

interface ApiKey {
  id: string;
  application_id: string;
  name: string;
  prefix: string;
  status: string;
  created_at: number;
  revoked_at: number | null;
}

const create: Command = {
  name: "key create",
  usage: "[--name N] [--app APPLICATION_ID] [--json]",
  summary: "Create an API key (of this application, or of another one with an operator key)",
  options: ["name", "app"],
  switches: ["json"],
  async run(call) {
    const body = { name: call.option("name"), application_id: call.option("app") };
    const key = (await call.client.post<ApiKey & { api_key: string }>("/v3/admin/api-keys", body)).data;
    if (call.json) return printJson(key);
    printLine(`API key ${key.id} ("${key.name}") created for application ${key.application_id}:`);
    printLine();
    printLine(`  ${key.api_key}`);
    printLine();
    printLine("Store it now: this is the only time it is shown.");
  },
};

const list: Command = {
  name: "key list",
  usage: "[--app APPLICATION_ID] [--json]",
  summary: "List API keys",
  options: ["app"],
  switches: ["json"],
  async run(call) {
    const keys = (
      await call.client.get<ApiKey[]>("/v3/admin/api-keys", { application_id: call.option("app") })
    ).data;
    if (call.json) return printJson(keys);
    const rows = keys.map((k) => [
      k.id,
      k.name,
      `${k.prefix}…`,
      k.status,
      isoTime(k.created_at),
      isoTime(k.revoked_at),
    ]);
    printTable(["ID", "NAME", "PREFIX", "STATUS", "CREATED", "REVOKED"], rows, "No API keys.");
  },
};

const revoke: Command = {
  name: "key revoke",
  usage: "<id>",
  summary: "Revoke an API key (it stops working at once)",
  args: ["id"],
  async run(call) {
    await call.client.delete(`/v3/admin/api-keys/${encodeURIComponent(call.arg(0))}`);
    printLine(`API key ${call.arg(0)} revoked.`);
  },
};

export const keyCommands: CommandGroup = { title: "API keys", commands: [create, list, revoke] };
