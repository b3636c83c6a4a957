import type { Client } from "../client.ts";
import type { Command, CommandGroup } from "../command.ts";
import { printFields, printJson } from "../output.ts";
import { countAccounts } from "./account.ts";

const METRICS = ["agentbox_actors_active", "agentbox_process_rss_bytes"] as const;

interface Application {
  application_id: string;
  name: string;
}

const status: Command = {
  name: "status",
  usage: "[--json]",
  summary: "Show the server's health, application, account count and metrics",
  switches: ["json"],
  async run(call) {
    const health = await readHealth(call.client);
    const [application, accounts, metrics] = await Promise.all([
      call.client.get<Application>("/v3/applications").then((r) => r.data),
      countAccounts(call.client),
      readMetrics(call.client),
    ]);
    if (call.json) printJson({ url: call.client.baseUrl, health, application, accounts, metrics });
    else {
      printFields([
        ["Server", call.client.baseUrl],
        ["Health", health],
        ["Application", `${application.name} (${application.application_id})`],
        ["Accounts", String(accounts)],
        ["Active actors", String(metrics.agentbox_actors_active ?? "-")],
        ["Memory (RSS)", formatBytes(metrics.agentbox_process_rss_bytes)],
      ]);
    }
    if (health !== "ok") throw new Error(`the server is not ready (health: ${health})`);
  },
};

/** /healthz answers {status: "ok"} with 200, or {status: "starting"} with 503. */
async function readHealth(client: Client): Promise<string> {
  const response = await client.fetchPublic("/healthz");
  const body = (await response.json().catch(() => ({}))) as { status?: string };
  return body.status ?? `HTTP ${response.status}`;
}

/** The unlabelled samples of the few metrics `status` shows, from the Prometheus text format. */
async function readMetrics(client: Client): Promise<Partial<Record<(typeof METRICS)[number], number>>> {
  const response = await client.fetchPublic("/metrics");
  if (!response.ok) return {};
  const metrics: Partial<Record<(typeof METRICS)[number], number>> = {};
  for (const line of (await response.text()).split("\n")) {
    const [name, value] = line.trim().split(/\s+/);
    const known = METRICS.find((metric) => metric === name);
    if (known && value !== undefined) metrics[known] = Number(value);
  }
  return metrics;
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "-";
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const statusCommands: CommandGroup = { title: "Server", commands: [status] };
