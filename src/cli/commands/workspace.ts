import { UsageError } from "../args.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printTable } from "../output.ts";
import { booleanOption, confirmDelete, listOption } from "./guardrail-args.ts";

/** The Nylas workspace object (its id is `workspace_id`). */
interface Workspace {
  workspace_id: string;
  name: string;
  domain: string;
  auto_group: boolean;
  default: boolean;
  policy_id: string | null;
  rule_ids: string[];
  updated_at: number;
}

const workspacePath = (id: string) => `/v3/workspaces/${encodeURIComponent(id)}`;

/** `--policy-id none` detaches the policy; `--rule-ids none` every rule. */
function attachments(call: Invocation) {
  const policy = call.option("policy-id");
  const rules = call.option("rule-ids");
  return {
    ...(policy !== undefined && { policy_id: policy === "none" ? null : policy }),
    ...(rules !== undefined && { rule_ids: rules === "none" ? [] : listOption(call, "rule-ids") }),
  };
}

const list: Command = {
  name: "workspace list",
  usage: "[--json]",
  summary: "List the application's workspaces (the default one first)",
  switches: ["json"],
  async run(call) {
    const workspaces = (await call.client.get<Workspace[]>("/v3/workspaces")).data;
    if (call.json) return printJson(workspaces);
    const rows = workspaces.map((w) => [
      w.workspace_id,
      w.default ? `${w.name} (default)` : w.name,
      w.domain || "-",
      w.policy_id ?? "-",
      String(w.rule_ids.length),
    ]);
    printTable(["ID", "NAME", "DOMAIN", "POLICY", "RULES"], rows, "No workspaces.");
  },
};

const get: Command = {
  name: "workspace get",
  usage: "<id> [--json]",
  summary: "Show a workspace",
  args: ["id"],
  switches: ["json"],
  async run(call) {
    const w = (await call.client.get<Workspace>(workspacePath(call.arg(0)))).data;
    if (call.json) return printJson(w);
    printWorkspace(w);
  },
};

const create: Command = {
  name: "workspace create",
  usage: "<name> --domain D [--auto-group true|false] [--policy-id ID] [--rule-ids ID,…] [--json]",
  summary: "Create a workspace for the accounts of a domain",
  args: ["name"],
  options: ["domain", "auto-group", "policy-id", "rule-ids"],
  switches: ["json"],
  async run(call) {
    const domain = call.option("domain");
    if (!domain) throw new UsageError("--domain is required");
    const autoGroup = booleanOption(call, "auto-group");
    const w = (
      await call.client.post<Workspace>("/v3/workspaces", {
        name: call.arg(0),
        domain,
        ...(autoGroup !== undefined && { auto_group: autoGroup }),
        ...attachments(call),
      })
    ).data;
    if (call.json) return printJson(w);
    printLine("Workspace created.");
    printWorkspace(w);
  },
};

const update: Command = {
  name: "workspace update",
  usage: "<id> [--name N] [--auto-group true|false] [--policy-id ID|none] [--rule-ids ID,…|none] [--json]",
  summary: "Change a workspace (on the default one: only its policy and rules)",
  args: ["id"],
  options: ["name", "auto-group", "policy-id", "rule-ids"],
  switches: ["json"],
  async run(call) {
    const name = call.option("name");
    const autoGroup = booleanOption(call, "auto-group");
    const w = (
      await call.client.patch<Workspace>(workspacePath(call.arg(0)), {
        ...(name !== undefined && { name }),
        ...(autoGroup !== undefined && { auto_group: autoGroup }),
        ...attachments(call),
      })
    ).data;
    if (call.json) return printJson(w);
    printWorkspace(w);
  },
};

const remove: Command = {
  name: "workspace delete",
  usage: "<id> --yes",
  summary: "Delete a workspace (its accounts move to the default workspace)",
  args: ["id"],
  switches: ["yes"],
  async run(call) {
    confirmDelete(call, `workspace ${call.arg(0)}`);
    await call.client.delete(workspacePath(call.arg(0)));
    printLine(`Workspace ${call.arg(0)} deleted.`);
  },
};

const assign: Command = {
  name: "workspace assign",
  usage: "<id> [--add GRANT,…] [--remove GRANT,…] [--json]",
  summary: "Move accounts into (or out of) a workspace whose auto-group is off",
  args: ["id"],
  options: ["add", "remove"],
  switches: ["json"],
  async run(call) {
    const add = listOption(call, "add");
    const drop = listOption(call, "remove");
    if (!add && !drop) throw new UsageError("name accounts with --add or --remove");
    const result = (
      await call.client.post<{ grants_assigned: string[] | null; grants_removed: string[] | null }>(
        `${workspacePath(call.arg(0))}/manual-assign`,
        { ...(add && { assign_grants: add }), ...(drop && { remove_grants: drop }) },
      )
    ).data;
    if (call.json) return printJson(result);
    printLine(
      `Assigned: ${result.grants_assigned?.join(", ") || "none"}; removed: ${result.grants_removed?.join(", ") || "none"}.`,
    );
  },
};

function printWorkspace(w: Workspace): void {
  printFields([
    ["Workspace", w.default ? `${w.name} (default)` : w.name],
    ["ID", w.workspace_id],
    ["Domain", w.domain || "-"],
    ["Auto-group", String(w.auto_group)],
    ["Policy", w.policy_id ?? "-"],
    ["Rules", w.rule_ids.length > 0 ? w.rule_ids.join(", ") : "none"],
    ["Updated", isoTime(w.updated_at)],
  ]);
}

export const workspaceCommands: CommandGroup = {
  title: "Workspaces",
  commands: [list, get, create, update, remove, assign],
};
