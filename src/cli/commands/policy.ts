import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printFields, printJson, printLine } from "../output.ts";
import { collectCursorPages } from "../pages.ts";
import { confirmDelete, jsonOption, listOption } from "./guardrail-args.ts";

/** The Nylas policy object, as far as the CLI shows it. */
interface Policy {
  id: string;
  name: string;
  limits: Record<string, unknown>;
  spam_detection: Record<string, unknown>;
  rules: string[];
  created_at: number;
  updated_at: number;
}

const policyPath = (id: string) => `/v3/policies/${encodeURIComponent(id)}`;

/** The fields create and update send: what the options name. */
function body(call: Parameters<Command["run"]>[0]) {
  const limits = jsonOption(call, "limits");
  const spam = jsonOption(call, "spam-detection");
  const rules = listOption(call, "rules");
  const name = call.option("name");
  return {
    ...(name !== undefined && { name }),
    ...(limits && { limits }),
    ...(spam && { spam_detection: spam }),
    ...(rules && { rules }),
  };
}

const OPTIONS = ["limits", "spam-detection", "rules"];

const list: Command = {
  name: "policy list",
  usage: "[--json]",
  summary: "List the application's policies",
  switches: ["json"],
  async run(call) {
    const policies = await collectCursorPages<Policy>(call.client, "/v3/policies");
    if (call.json) return printJson(policies);
    if (policies.length === 0) return printLine("No policies.");
    printLine(`Policies (${policies.length})`);
    printLine();
    policies.forEach((p, i) => {
      printLine(`${i + 1}. ${p.name.padEnd(32)} ${p.id}`);
      printLine(`   Updated: ${isoTime(p.updated_at)}`);
    });
  },
};

const get: Command = {
  name: "policy get",
  usage: "<id> [--json]",
  summary: "Show a policy: its limits, spam detection and rules",
  args: ["id"],
  switches: ["json"],
  async run(call) {
    const policy = (await call.client.get<Policy>(policyPath(call.arg(0)))).data;
    if (call.json) return printJson(policy);
    printPolicy(policy);
  },
};

const create: Command = {
  name: "policy create",
  usage: "<name> [--limits JSON] [--spam-detection JSON] [--rules ID,…] [--json]",
  summary: `Create a policy (--limits '{"limit_count_daily_email_sent":500}')`,
  args: ["name"],
  options: OPTIONS,
  switches: ["json"],
  async run(call) {
    const policy = (await call.client.post<Policy>("/v3/policies", { ...body(call), name: call.arg(0) }))
      .data;
    if (call.json) return printJson(policy);
    printLine("Policy created.");
    printPolicy(policy);
  },
};

const update: Command = {
  name: "policy update",
  usage: "<id> [--name N] [--limits JSON] [--spam-detection JSON] [--rules ID,…] [--json]",
  summary: "Change a policy (each object given replaces the stored one)",
  args: ["id"],
  options: ["name", ...OPTIONS],
  switches: ["json"],
  async run(call) {
    const policy = (await call.client.put<Policy>(policyPath(call.arg(0)), body(call))).data;
    if (call.json) return printJson(policy);
    printPolicy(policy);
  },
};

const remove: Command = {
  name: "policy delete",
  usage: "<id> --yes",
  summary: "Delete a policy (workspaces that named it lose it)",
  args: ["id"],
  switches: ["yes"],
  async run(call) {
    confirmDelete(call, `policy ${call.arg(0)}`);
    await call.client.delete(policyPath(call.arg(0)));
    printLine(`Policy ${call.arg(0)} deleted.`);
  },
};

function printPolicy(p: Policy): void {
  printFields([
    ["Policy", p.name],
    ["ID", p.id],
    ["Limits", entries(p.limits)],
    ["Spam detection", entries(p.spam_detection)],
    ["Rules", p.rules.length > 0 ? p.rules.join(", ") : "none"],
    ["Created", isoTime(p.created_at)],
    ["Updated", isoTime(p.updated_at)],
  ]);
}

function entries(o: Record<string, unknown>): string {
  const pairs = Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`);
  return pairs.length > 0 ? pairs.join(", ") : "defaults";
}

export const policyCommands: CommandGroup = {
  title: "Policies",
  commands: [list, get, create, update, remove],
};
