import { UsageError } from "../args.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { isoTime, printFields, printJson, printLine } from "../output.ts";
import { collectCursorPages } from "../pages.ts";
import { booleanOption, confirmDelete } from "./guardrail-args.ts";

/** The Nylas rule object, as far as the CLI shows it. */
interface Rule {
  id: string;
  name: string;
  description?: string;
  priority: number;
  enabled: boolean;
  trigger: string;
  match: { operator: string; conditions: { field: string; operator: string; value: string | string[] }[] };
  actions: { type: string; value?: string }[];
  created_at: number;
  updated_at: number;
}

const rulePath = (id: string) => `/v3/rules/${encodeURIComponent(id)}`;

/**
 * `--when "from.domain is spam.example; from.tld in_list LIST_ID,LIST_ID"`: conditions separated
 * by `;`, each `<field> <operator> <value>` (in_list takes list ids separated by commas).
 */
function conditions(when: string) {
  return when
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c !== "")
    .map((c) => {
      const [field, operator, ...rest] = c.split(/\s+/);
      const value = rest.join(" ");
      if (!field || !operator || !value)
        throw new UsageError(`--when: "${c}" is not "<field> <operator> <value>"`);
      return {
        field,
        operator,
        value: operator === "in_list" ? value.split(",").map((v) => v.trim()) : value,
      };
    });
}

/** `--then "assign_to_folder=Receipts, mark_as_read"`: actions separated by commas, a value after `=`. */
function actions(then: string) {
  return then
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "")
    .map((a) => {
      const eq = a.indexOf("=");
      return eq < 0 ? { type: a } : { type: a.slice(0, eq).trim(), value: a.slice(eq + 1).trim() };
    });
}

function body(call: Invocation) {
  const when = call.option("when");
  const then = call.option("then");
  const match = call.option("match");
  const priority = call.option("priority");
  const enabled = booleanOption(call, "enabled");
  const fields = {
    name: call.option("name"),
    description: call.option("description"),
    trigger: call.option("trigger"),
    ...(priority !== undefined && { priority: Number(priority) }),
    ...(enabled !== undefined && { enabled }),
    ...(when !== undefined && { match: { operator: match ?? "all", conditions: conditions(when) } }),
    ...(then !== undefined && { actions: actions(then) }),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

const OPTIONS = ["when", "then", "match", "trigger", "priority", "enabled", "description"];

const list: Command = {
  name: "rule list",
  usage: "[--json]",
  summary: "List the application's rules",
  switches: ["json"],
  async run(call) {
    const rules = await collectCursorPages<Rule>(call.client, "/v3/rules");
    if (call.json) return printJson(rules);
    if (rules.length === 0) return printLine("No rules.");
    printLine(`Rules (${rules.length})`);
    printLine();
    rules.forEach((r, i) => {
      printLine(`${i + 1}. ${r.name.padEnd(32)} ${r.id}`);
      printLine(
        `   ${r.trigger}, priority ${r.priority}${r.enabled ? "" : ", disabled"}  Updated: ${isoTime(r.updated_at)}`,
      );
    });
  },
};

const get: Command = {
  name: "rule get",
  usage: "<id> [--json]",
  summary: "Show a rule: what it matches and does",
  args: ["id"],
  switches: ["json"],
  async run(call) {
    const rule = (await call.client.get<Rule>(rulePath(call.arg(0)))).data;
    if (call.json) return printJson(rule);
    printRule(rule);
  },
};

const create: Command = {
  name: "rule create",
  usage:
    '<name> --when "<field> <op> <value>[; …]" --then "<action>[=value][, …]" [--trigger inbound|outbound] [--match all|any] [--priority N] [--enabled true|false] [--description D] [--json]',
  summary: 'Create a rule (e.g. --when "from.domain is spam.example" --then block)',
  args: ["name"],
  options: OPTIONS,
  switches: ["json"],
  async run(call) {
    const rule = (await call.client.post<Rule>("/v3/rules", { ...body(call), name: call.arg(0) })).data;
    if (call.json) return printJson(rule);
    printLine("Rule created.");
    printRule(rule);
  },
};

const update: Command = {
  name: "rule update",
  usage:
    "<id> [--name N] [--when …] [--then …] [--match all|any] [--trigger T] [--priority N] [--enabled true|false] [--json]",
  summary: "Change a rule (only what the options name)",
  args: ["id"],
  options: ["name", ...OPTIONS],
  switches: ["json"],
  async run(call) {
    const rule = (await call.client.put<Rule>(rulePath(call.arg(0)), body(call))).data;
    if (call.json) return printJson(rule);
    printRule(rule);
  },
};

const remove: Command = {
  name: "rule delete",
  usage: "<id> --yes",
  summary: "Delete a rule (workspaces and policies that named it lose it)",
  args: ["id"],
  switches: ["yes"],
  async run(call) {
    confirmDelete(call, `rule ${call.arg(0)}`);
    await call.client.delete(rulePath(call.arg(0)));
    printLine(`Rule ${call.arg(0)} deleted.`);
  },
};

function printRule(r: Rule): void {
  printFields([
    ["Rule", r.name],
    ["ID", r.id],
    ...(r.description ? ([["Description", r.description]] as [string, string][]) : []),
    ["Trigger", r.trigger],
    ["Priority", String(r.priority)],
    ["Enabled", String(r.enabled)],
    [
      `Match (${r.match.operator})`,
      r.match.conditions
        .map((c) => `${c.field} ${c.operator} ${Array.isArray(c.value) ? c.value.join(",") : c.value}`)
        .join("; "),
    ],
    ["Actions", r.actions.map((a) => (a.value === undefined ? a.type : `${a.type}=${a.value}`)).join(", ")],
    ["Updated", isoTime(r.updated_at)],
  ]);
}

export const ruleCommands: CommandGroup = {
  title: "Rules",
  commands: [list, get, create, update, remove],
};
