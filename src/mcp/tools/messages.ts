import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { grantPath, resolveGrant } from "../grant.ts";
import { detail, summarize } from "../message-view.ts";
import { CHANGE, defineTool, EXTERNAL_CONTENT, READ_MAIL, type ToolContext } from "../tool.ts";
import { grantArg, messageSummary, notice, pageArgs } from "./schemas.ts";

type Message = Record<string, unknown>;

const filters = {
  folder: z
    .string()
    .optional()
    .describe('Only this folder: an id, or a system folder name ("inbox", "sent", …)'),
  from: z.string().optional().describe("Only messages from this address"),
  to: z.string().optional().describe("Only messages to this address"),
  subject: z.string().optional().describe("Only messages whose subject contains this"),
  unread: z.boolean().optional().describe("Only unread (true) or read (false) messages"),
  thread_id: z.string().optional().describe("Only messages of this thread"),
  received_after: z.number().int().min(0).optional().describe("Unix seconds"),
  received_before: z.number().int().min(0).optional().describe("Unix seconds"),
};

const messageList = {
  messages: z.array(messageSummary),
  next_page_token: z.string().nullable(),
  notice,
};

type Filters = { [K in keyof typeof filters]?: z.infer<(typeof filters)[K]> };

function filterQuery(f: Filters & { limit?: number; page_token?: string }) {
  return {
    in: f.folder,
    from: f.from,
    to: f.to,
    subject: f.subject,
    unread: f.unread,
    thread_id: f.thread_id,
    received_after: f.received_after,
    received_before: f.received_before,
    limit: f.limit ?? 20,
    page_token: f.page_token,
  };
}

async function listed(
  ctx: ToolContext,
  grant: string,
  query: Record<string, string | number | boolean | undefined>,
) {
  const id = await resolveGrant(ctx.api, grant);
  const reply = await ctx.api.get(grantPath(id, "/messages"), query);
  return {
    messages: (reply.body.data as Message[]).map(summarize),
    next_page_token: (reply.body.next_cursor as string | null) ?? null,
    notice: EXTERNAL_CONTENT,
  };
}

export const listMessages = defineTool({
  name: "list_messages",
  title: "List messages",
  description: `Lists an account's messages, newest first, with optional filters. ${EXTERNAL_CONTENT}`,
  input: { grant: grantArg, ...filters, ...pageArgs },
  output: messageList,
  hints: READ_MAIL,
  run: (ctx, { grant, ...rest }) => listed(ctx, grant, filterQuery(rest)),
});

export const searchMessages = defineTool({
  name: "search_messages",
  title: "Search messages",
  description:
    'Full-text search of an account\'s messages, newest first. The query takes words and Gmail-style operators (from:, to:, subject:, is:unread, has:attachment, "exact phrase"). ' +
    EXTERNAL_CONTENT,
  input: { grant: grantArg, query: z.string().min(1).max(500).describe("What to search for"), ...pageArgs },
  output: messageList,
  hints: READ_MAIL,
  run: (ctx, { grant, query, limit, page_token }) =>
    listed(ctx, grant, { search_query_native: query, limit: limit ?? 20, page_token }),
});

export const getMessage = defineTool({
  name: "get_message",
  title: "Read a message",
  description:
    "One message in full: its text without quoted replies, forwarded history or signature, and the codes and links found in it. " +
    EXTERNAL_CONTENT,
  input: { grant: grantArg, message_id: z.string().min(1) },
  output: { message: messageSummary.extend({ text: z.string(), extracted: z.looseObject({}) }), notice },
  hints: READ_MAIL,
  run: async (ctx, { grant, message_id }) => {
    const id = await resolveGrant(ctx.api, grant);
    return { message: await readClean(ctx, id, message_id), notice: EXTERNAL_CONTENT };
  },
});

export const waitForMessage = defineTool({
  name: "wait_for_message",
  title: "Wait for a message",
  description:
    "Waits until a message matching the filters arrives (or has arrived since `since`), up to `timeout_s` seconds, and returns it with the verification codes and links found in it; message is null at the timeout. " +
    EXTERNAL_CONTENT,
  input: {
    grant: grantArg,
    from: filters.from,
    to: filters.to,
    subject: filters.subject,
    folder: filters.folder,
    since: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Unix seconds: also accept messages received since then"),
    timeout_s: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe("How long to wait (default 30, at most 60)"),
  },
  output: {
    message: messageSummary.extend({ text: z.string(), extracted: z.looseObject({}) }).nullable(),
    notice,
  },
  hints: READ_MAIL,
  run: async (ctx, { grant, from, to, subject, folder, since, timeout_s }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, "/messages/wait"), {
      from,
      to,
      subject,
      in: folder,
      since,
      timeout: timeout_s ?? 30,
      fields: "include_conversation",
    });
    const found = (reply.body.data as Message[])[0];
    const message = found ? detail(found, String(found.conversation ?? "")) : null;
    return { message, notice: EXTERNAL_CONTENT };
  },
});

export const moveMessage = defineTool({
  name: "move_message",
  title: "Move a message",
  description:
    'Moves a message to another folder (an id or a folder name: "archive", "trash", "Receipts", …).',
  input: { grant: grantArg, message_id: z.string().min(1), folder: z.string().min(1) },
  output: { message: messageSummary },
  hints: CHANGE,
  run: async (ctx, { grant, message_id, folder }) => {
    const id = await resolveGrant(ctx.api, grant);
    const folderId = await folderIdOf(ctx, id, folder);
    const reply = await ctx.api.put(grantPath(id, `/messages/${encodeURIComponent(message_id)}`), {
      folders: [folderId],
    });
    return { message: summarize(reply.body.data as Message) };
  },
});

export const markMessage = defineTool({
  name: "mark_message",
  title: "Mark a message",
  description: "Marks a message read or unread, starred or not, answered or not.",
  input: {
    grant: grantArg,
    message_id: z.string().min(1),
    unread: z.boolean().optional(),
    starred: z.boolean().optional(),
    answered: z.boolean().optional(),
  },
  output: { message: messageSummary },
  hints: CHANGE,
  run: async (ctx, { grant, message_id, unread, starred, answered }) => {
    if (unread === undefined && starred === undefined && answered === undefined) {
      throw new ToolFailure("say what to mark: unread, starred or answered");
    }
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.put(grantPath(id, `/messages/${encodeURIComponent(message_id)}`), {
      unread,
      starred,
      answered,
    });
    return { message: summarize(reply.body.data as Message) };
  },
});

export async function readMessage(ctx: ToolContext, grantId: string, messageId: string): Promise<Message> {
  const reply = await ctx.api.get(grantPath(grantId, `/messages/${encodeURIComponent(messageId)}`));
  return reply.body.data as Message;
}

/** The message as GET gives it with `conversation`: its text without quoted history or signature. */
async function readClean(ctx: ToolContext, grantId: string, messageId: string) {
  const reply = await ctx.api.get(grantPath(grantId, `/messages/${encodeURIComponent(messageId)}`), {
    fields: "include_conversation",
  });
  const message = reply.body.data as Message;
  return detail(message, String(message.conversation ?? ""));
}

/** A folder id from an id or a name (system names in any case, then custom folders by name). */
async function folderIdOf(ctx: ToolContext, grantId: string, folder: string): Promise<string> {
  const reply = await ctx.api.get(grantPath(grantId, "/folders"));
  const folders = reply.body.data as { id: string; name: string }[];
  const wanted = folder.toLowerCase();
  const match =
    folders.find((f) => f.id === folder) ??
    folders.find((f) => f.id === wanted) ??
    folders.find((f) => f.name.toLowerCase() === wanted);
  if (!match) throw new ToolFailure(`no folder ${folder} in this account; list_folders shows them`);
  return match.id;
}
