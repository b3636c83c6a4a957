import { UsageError } from "../args.ts";
import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printTable } from "../output.ts";
import { accountPath } from "./message.ts";

/** Threads and folders of an account. */

interface Thread {
  id: string;
  subject: string;
  participants: { email: string }[];
  message_ids: string[];
  unread: boolean;
  latest_message_received_date: number | null;
  latest_message_sent_date: number | null;
  snippet: string;
}

interface Folder {
  id: string;
  name: string;
  parent_id: string | null;
  total_count: number;
  unread_count: number;
  system_folder: boolean;
}

const threadList: Command = {
  name: "thread list",
  usage: "<account> [--folder F] [--limit N] [--json]",
  summary: "List an account's threads, most recent first",
  args: ["account"],
  options: ["folder", "limit"],
  switches: ["json"],
  async run(call) {
    const result = await call.client.get<Thread[]>(accountPath(call.arg(0), "/threads"), {
      in: call.option("folder"),
      limit: call.positiveInt("limit") ?? 20,
    });
    if (call.json) return printJson(result.data);
    const rows = result.data.map((t) => [
      t.id,
      isoTime(t.latest_message_received_date ?? t.latest_message_sent_date),
      String(t.message_ids.length),
      (t.unread ? "* " : "") + t.subject.slice(0, 60),
    ]);
    printTable(["ID", "LATEST", "MESSAGES", "SUBJECT"], rows, "No threads.");
  },
};

const threadGet: Command = {
  name: "thread get",
  usage: "<account> <id> [--json]",
  summary: "Show a thread: its participants and messages",
  args: ["account", "id"],
  switches: ["json"],
  async run(call) {
    const path = accountPath(call.arg(0), `/threads/${encodeURIComponent(call.arg(1))}`);
    const thread = (await call.client.get<Thread>(path)).data;
    if (call.json) return printJson(thread);
    printFields([
      ["ID", thread.id],
      ["Subject", thread.subject],
      ["Participants", thread.participants.map((p) => p.email).join(", ")],
      ["Messages", thread.message_ids.join(", ")],
      ["Latest", thread.snippet],
    ]);
  },
};

const folderList: Command = {
  name: "folder list",
  usage: "<account> [--json]",
  summary: "List an account's folders with their counts",
  args: ["account"],
  switches: ["json"],
  async run(call) {
    const folders = (await call.client.get<Folder[]>(accountPath(call.arg(0), "/folders"))).data;
    if (call.json) return printJson(folders);
    const rows = folders.map((f) => [f.id, f.name, String(f.total_count), String(f.unread_count)]);
    printTable(["ID", "NAME", "TOTAL", "UNREAD"], rows, "No folders.");
  },
};

const folderCreate: Command = {
  name: "folder create",
  usage: "<account> <name> [--parent ID] [--json]",
  summary: "Create a folder",
  args: ["account", "name"],
  options: ["parent"],
  switches: ["json"],
  async run(call) {
    const parent = call.option("parent");
    const folder = (
      await call.client.post<Folder>(accountPath(call.arg(0), "/folders"), {
        name: call.arg(1),
        ...(parent !== undefined && { parent_id: parent }),
      })
    ).data;
    if (call.json) return printJson(folder);
    printLine(`Folder created: ${folder.name} (${folder.id}).`);
  },
};

const folderDelete: Command = {
  name: "folder delete",
  usage: "<account> <id> --yes",
  summary: "Delete a folder",
  args: ["account", "id"],
  switches: ["yes"],
  async run(call) {
    if (!call.switch("yes")) throw new UsageError(`refusing to delete folder ${call.arg(1)} without --yes`);
    await call.client.delete(accountPath(call.arg(0), `/folders/${encodeURIComponent(call.arg(1))}`));
    printLine(`Folder ${call.arg(1)} deleted.`);
  },
};

export const threadCommands: CommandGroup = { title: "Threads", commands: [threadList, threadGet] };
export const folderCommands: CommandGroup = {
  title: "Folders",
  commands: [folderList, folderCreate, folderDelete],
};
