import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printJson, printLine, printNote, printTable } from "../output.ts";

interface ServiceAccount {
  id: string;
  application_id: string;
  status: string;
  created_at: number;
}

const create: Command = {
  name: "service-account create",
  usage: "[--app APPLICATION_ID] > credentials.json",
  summary: "Create a service account; prints its credentials JSON (private key shown once)",
  options: ["app"],
  async run(call) {
    const body = { application_id: call.option("app") };
    const account = (
      await call.client.post<ServiceAccount & { credentials: unknown }>("/v3/admin/service-accounts", body)
    ).data;
    // stdout carries the credentials file and nothing else.
    printJson(account.credentials);
    printNote(
      `Service account ${account.id} created: save the credentials now, the private key is not stored.`,
    );
  },
};

const list: Command = {
  name: "service-account list",
  usage: "[--app APPLICATION_ID] [--json]",
  summary: "List service accounts",
  options: ["app"],
  switches: ["json"],
  async run(call) {
    const query = { application_id: call.option("app") };
    const accounts = (await call.client.get<ServiceAccount[]>("/v3/admin/service-accounts", query)).data;
    if (call.json) return printJson(accounts);
    const rows = accounts.map((a) => [a.id, a.application_id, a.status, isoTime(a.created_at)]);
    printTable(["ID", "APPLICATION", "STATUS", "CREATED"], rows, "No service accounts.");
  },
};

const revoke: Command = {
  name: "service-account revoke",
  usage: "<id>",
  summary: "Revoke a service account",
  args: ["id"],
  async run(call) {
    await call.client.delete(`/v3/admin/service-accounts/${encodeURIComponent(call.arg(0))}`);
    printLine(`Service account ${call.arg(0)} revoked.`);
  },
};

export const serviceAccountCommands: CommandGroup = {
  title: "Service accounts",
  commands: [create, list, revoke],
};
