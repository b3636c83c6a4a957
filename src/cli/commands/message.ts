import { readFileSync } from "node:fs";
import { UsageError } from "../args.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printNote, printTable } from "../output.ts";

/** The Nylas message object, as far as the CLI shows it. */
interface Message {
  id: string;
  thread_id: string | null;
  subject: string;
  from: { email: string; name?: string }[];
  to: { email: string; name?: string }[];
  cc: { email: string; name?: string }[];
  date: number;
  unread: boolean;
  starred: boolean;
  folders: string[];
  snippet: string;
  attachments: { filename: string; size: number }[];
  conversation?: string;
  extracted?: { codes?: string[]; links?: { url: string }[] };
}

/** `/v3/grants/{account}…`: the API takes an id or an address. */
export const accountPath = (account: string, rest = "") => `/v3/grants/${encodeURIComponent(account)}${rest}`;

const people = (list: { email: string; name?: string }[]) =>
  list.map((p) => (p.name ? `${p.name} <${p.email}>` : p.email)).join(", ");

const list: Command = {
  name: "message list",
  usage: "<account> [--folder F] [--from A] [--subject S] [--search Q] [--unread] [--limit N] [--json]",
  summary: "List an account's messages, newest first (--search: full-text query)",
  args: ["account"],
  options: ["folder", "from", "subject", "search", "limit"],
  switches: ["unread", "json"],
  async run(call) {
    const result = await call.client.get<Message[]>(accountPath(call.arg(0), "/messages"), {
      in: call.option("folder"),
      from: call.option("from"),
      subject: call.option("subject"),
      search_query_native: call.option("search"),
      unread: call.switch("unread") ? "true" : undefined,
      limit: call.positiveInt("limit") ?? 20,
    });
    if (call.json) return printJson(result.data);
    const rows = result.data.map((m) => [
      m.id,
      isoTime(m.date),
      people(m.from).slice(0, 40),
      (m.unread ? "* " : "") + m.subject.slice(0, 60),
      m.folders[0] ?? "",
    ]);
    printTable(["ID", "DATE", "FROM", "SUBJECT", "FOLDER"], rows, "No messages.");
    if (result.nextCursor) printNote("(more: raise --limit)");
  },
};

function showMessage(m: Message): void {
  printFields([
    ["ID", m.id],
    ["Thread", m.thread_id ?? "-"],
    ["Date", isoTime(m.date)],
    ["From", people(m.from)],
    ["To", people(m.to)],
    ...(m.cc.length ? [["Cc", people(m.cc)] as [string, string]] : []),
    ["Subject", m.subject],
    ["Folder", m.folders[0] ?? "-"],
    ...(m.attachments.length
      ? [
          ["Attachments", m.attachments.map((a) => `${a.filename} (${a.size} B)`).join(", ")] as [
            string,
            string,
          ],
        ]
      : []),
    ...(m.extracted?.codes?.length ? [["Codes", m.extracted.codes.join(", ")] as [string, string]] : []),
  ]);
  printLine();
  printLine(m.conversation ?? m.snippet);
}

const get: Command = {
  name: "message get",
  usage: "<account> <id> [--json]",
  summary: "Show a message: its headers and its text without quoted history or signature",
  args: ["account", "id"],
  switches: ["json"],
  async run(call) {
    const path = accountPath(call.arg(0), `/messages/${encodeURIComponent(call.arg(1))}`);
    const message = (await call.client.get<Message>(path, { fields: "include_conversation" })).data;
    if (call.json) return printJson(message);
    showMessage(message);
  },
};

const send: Command = {
  name: "message send",
  usage:
    "<account> --to A[,B] [--cc A] [--bcc A] [--subject S] [--body TEXT | --body-file F] [--html] [--json]",
  summary: "Send a message from an account (the body from --body, --body-file, or standard input)",
  args: ["account"],
  options: ["to", "cc", "bcc", "subject", "body", "body-file", "reply-to-message-id"],
  switches: ["html", "json"],
  async run(call) {
    const to = addresses(call.option("to"));
    if (to.length === 0) throw new UsageError("--to needs at least one address");
    const body = {
      to,
      cc: addresses(call.option("cc")),
      bcc: addresses(call.option("bcc")),
      subject: call.option("subject") ?? "",
      body: messageBody(call),
      is_plaintext: !call.switch("html"),
      reply_to_message_id: call.option("reply-to-message-id"),
    };
    const sent = (await call.client.post<Message>(accountPath(call.arg(0), "/messages/send"), body)).data;
    if (call.json) return printJson(sent);
    printLine(`Sent: ${sent.id} (thread ${sent.thread_id ?? "-"}) to ${people(sent.to)}.`);
  },
};

function addresses(value: string | undefined): { email: string }[] {
  return (value ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean)
    .map((email) => ({ email }));
}

function messageBody(call: Invocation): string {
  const text = call.option("body");
  const file = call.option("body-file");
  if (text !== undefined && file !== undefined) throw new UsageError("give --body or --body-file, not both");
  if (text !== undefined) return text;
  if (file !== undefined) return readFileSync(file, "utf8");
  if (process.stdin.isTTY)
    throw new UsageError("no body: pass --body, --body-file, or pipe it on standard input");
  return readFileSync(0, "utf8");
}

const wait: Command = {
  name: "message wait",
  usage: "<account> [--from A] [--to A] [--subject S] [--folder F] [--timeout SECONDS] [--json]",
  summary:
    "Wait for the next matching message (at most 60 s) and show it with its codes; exit 1 at the timeout",
  args: ["account"],
  options: ["from", "subject", "to", "folder", "timeout"],
  switches: ["json"],
  async run(call) {
    const timeout = call.positiveInt("timeout") ?? 30;
    if (timeout > 60) throw new UsageError("--timeout is at most 60 seconds");
    const found = await call.client.get<Message[]>(accountPath(call.arg(0), "/messages/wait"), {
      from: call.option("from"),
      subject: call.option("subject"),
      to: call.option("to"),
      in: call.option("folder"),
      timeout,
    });
    const first = found.data[0];
    if (!first) throw new Error(`no matching message arrived within ${timeout} s`);
    const path = accountPath(call.arg(0), `/messages/${encodeURIComponent(first.id)}`);
    const message = (await call.client.get<Message>(path, { fields: "include_conversation" })).data;
    if (call.json) return printJson(message);
    showMessage(message);
  },
};

export const messageCommands: CommandGroup = { title: "Messages", commands: [list, get, send, wait] };
