import { UsageError } from "../args.ts";
import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printTable } from "../output.ts";
import { collectCursorPages } from "../pages.ts";
import { confirmDelete, listOption } from "./guardrail-args.ts";

/** The Nylas list object, as far as the CLI shows it. */
interface List {
  id: string;
  name: string;
  description?: string;
  type: string;
  items_count: number;
  created_at: number;
  updated_at: number;
}

interface Item {
  id: string;
  value: string;
  created_at: number;
}

const listPath = (id: string) => `/v3/lists/${encodeURIComponent(id)}`;

const all: Command = {
  name: "list list",
  usage: "[--json]",
  summary: "List the application's lists",
  switches: ["json"],
  async run(call) {
    const lists = await collectCursorPages<List>(call.client, "/v3/lists");
    if (call.json) return printJson(lists);
    const rows = lists.map((l) => [l.id, l.name, l.type, String(l.items_count), isoTime(l.updated_at)]);
    printTable(["ID", "NAME", "TYPE", "ITEMS", "UPDATED"], rows, "No lists.");
  },
};

const get: Command = {
  name: "list get",
  usage: "<id> [--json]",
  summary: "Show a list",
  args: ["id"],
  switches: ["json"],
  async run(call) {
    const list = (await call.client.get<List>(listPath(call.arg(0)))).data;
    if (call.json) return printJson(list);
    printList(list);
  },
};

const create: Command = {
  name: "list create",
  usage: "<name> --type domain|tld|address [--description D] [--json]",
  summary: "Create a list of domains, top-level domains or addresses",
  args: ["name"],
  options: ["type", "description"],
  switches: ["json"],
  async run(call) {
    const type = call.option("type");
    if (!type) throw new UsageError("--type is required: domain, tld or address");
    const description = call.option("description");
    const list = (
      await call.client.post<List>("/v3/lists", {
        name: call.arg(0),
        type,
        ...(description !== undefined && { description }),
      })
    ).data;
    if (call.json) return printJson(list);
    printLine("List created.");
    printList(list);
  },
};

const update: Command = {
  name: "list update",
  usage: "<id> [--name N] [--description D] [--json]",
  summary: "Rename a list or change its description (its type cannot change)",
  args: ["id"],
  options: ["name", "description"],
  switches: ["json"],
  async run(call) {
    const name = call.option("name");
    const description = call.option("description");
    const list = (
      await call.client.put<List>(listPath(call.arg(0)), {
        ...(name !== undefined && { name }),
        ...(description !== undefined && { description }),
      })
    ).data;
    if (call.json) return printJson(list);
    printList(list);
  },
};

const remove: Command = {
  name: "list delete",
  usage: "<id> --yes",
  summary: "Delete a list and its items (rules naming it stop matching through it)",
  args: ["id"],
  switches: ["yes"],
  async run(call) {
    confirmDelete(call, `list ${call.arg(0)}`);
    await call.client.delete(listPath(call.arg(0)));
    printLine(`List ${call.arg(0)} deleted.`);
  },
};

const items: Command = {
  name: "list items",
  usage: "<id> [--json]",
  summary: "Show a list's items",
  args: ["id"],
  switches: ["json"],
  async run(call) {
    const values = await collectCursorPages<Item>(call.client, `${listPath(call.arg(0))}/items`);
    if (call.json) return printJson(values);
    printTable(
      ["VALUE", "ADDED"],
      values.map((i) => [i.value, isoTime(i.created_at)]),
      "No items.",
    );
  },
};

const add: Command = {
  name: "list add",
  usage: "<id> --items V,V,… [--json]",
  summary: "Add items to a list (at most 1,000 a call)",
  args: ["id"],
  options: ["items"],
  switches: ["json"],
  async run(call) {
    const list = (await call.client.post<List>(`${listPath(call.arg(0))}/items`, { items: itemsOf(call) }))
      .data;
    if (call.json) return printJson(list);
    printLine(`List ${list.id} has ${list.items_count} items.`);
  },
};

const drop: Command = {
  name: "list remove",
  usage: "<id> --items V,V,… [--json]",
  summary: "Remove items from a list",
  args: ["id"],
  options: ["items"],
  switches: ["json"],
  async run(call) {
    const list = (await call.client.delete<List>(`${listPath(call.arg(0))}/items`, { items: itemsOf(call) }))
      .data;
    if (call.json) return printJson(list);
    printLine(`List ${list.id} has ${list.items_count} items.`);
  },
};

function itemsOf(call: Parameters<Command["run"]>[0]): string[] {
  const values = listOption(call, "items");
  if (!values || values.length === 0) throw new UsageError("--items is required: values separated by commas");
  return values;
}

function printList(l: List): void {
  printFields([
    ["List", l.name],
    ["ID", l.id],
    ["Type", l.type],
    ["Items", String(l.items_count)],
    ...(l.description ? ([["Description", l.description]] as [string, string][]) : []),
    ["Updated", isoTime(l.updated_at)],
  ]);
}

export const listCommands: CommandGroup = {
  title: "Lists",
  commands: [all, get, create, update, remove, items, add, drop],
};
