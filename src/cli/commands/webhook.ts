import { UsageError } from "../args.ts";
import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printNote, printTable } from "../output.ts";

interface Webhook {
  id: string;
  description: string | null;
  trigger_types: string[];
  webhook_url: string;
  status: string;
  created_at: number;
  webhook_secret?: string;
  delivery?: { backlog: number; pending: number; failed: number; last_error: string | null };
}

const triggers = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

const create: Command = {
  name: "webhook create",
  usage: "<url> --triggers T[,T] [--description D] [--json]",
  summary: "Create a webhook (the URL must answer the challenge); prints its secret once",
  args: ["url"],
  options: ["triggers", "description"],
  switches: ["json"],
  async run(call) {
    const types = triggers(call.option("triggers"));
    if (types.length === 0)
      throw new UsageError("--triggers needs at least one trigger type (e.g. message.created)");
    const description = call.option("description");
    const hook = (
      await call.client.post<Webhook>("/v3/webhooks", {
        webhook_url: call.arg(0),
        trigger_types: types,
        ...(description !== undefined && { description }),
      })
    ).data;
    if (call.json) return printJson(hook);
    printLine("Webhook created.");
    printFields([
      ["ID", hook.id],
      ["URL", hook.webhook_url],
      ["Triggers", hook.trigger_types.join(", ")],
      ["Secret", hook.webhook_secret ?? "-"],
    ]);
    printNote("The secret signs every notification (X-Nylas-Signature); it is shown only now.");
  },
};

const list: Command = {
  name: "webhook list",
  usage: "[--json]",
  summary: "List webhooks with their status and backlog",
  switches: ["json"],
  async run(call) {
    const hooks = (await call.client.get<Webhook[]>("/v3/webhooks")).data;
    if (call.json) return printJson(hooks);
    const rows = hooks.map((h) => [
      h.id,
      h.webhook_url,
      h.status,
      h.trigger_types.join(","),
      String(h.delivery?.backlog ?? "-"),
      isoTime(h.created_at),
    ]);
    printTable(["ID", "URL", "STATUS", "TRIGGERS", "BACKLOG", "CREATED"], rows, "No webhooks.");
  },
};

const remove: Command = {
  name: "webhook delete",
  usage: "<id>",
  summary: "Delete a webhook",
  args: ["id"],
  async run(call) {
    await call.client.delete(`/v3/webhooks/${encodeURIComponent(call.arg(0))}`);
    printLine(`Webhook ${call.arg(0)} deleted.`);
  },
};

const testEvent: Command = {
  name: "webhook test",
  usage: "<url> [--trigger T] [--json]",
  summary: "Post an example notification (default message.created) to a URL and show its answer",
  args: ["url"],
  options: ["trigger"],
  switches: ["json"],
  async run(call) {
    const result = await call.client.post<Record<string, unknown>>("/v3/webhooks/send-test-event", {
      webhook_url: call.arg(0),
      trigger_type: call.option("trigger") ?? "message.created",
    });
    if (call.json) return printJson(result.data);
    printLine(`Test notification posted to ${call.arg(0)}.`);
    printLine(JSON.stringify(result.data));
  },
};

export const webhookCommands: CommandGroup = {
  title: "Webhooks",
  commands: [create, list, remove, testEvent],
};
