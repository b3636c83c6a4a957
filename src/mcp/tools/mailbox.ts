import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { findGrantByEmail, grantPath, resolveGrant } from "../grant.ts";
import { defineTool, EXTERNAL_CONTENT, READ, READ_MAIL } from "../tool.ts";
import { grantArg, notice, pageArgs, participant } from "./schemas.ts";

/** Threads, folders and accounts: the places messages live in. */

type Row = Record<string, unknown>;

const threadSummary = z.looseObject({
  id: z.string(),
  subject: z.string(),
  snippet: z.string(),
  participants: z.array(participant),
  message_ids: z.array(z.string()),
  unread: z.boolean(),
  starred: z.boolean(),
  latest_message_date: z.number().nullable(),
  folders: z.array(z.string()),
});

function summarizeThread(t: Row) {
  return {
    id: String(t.id),
    subject: String(t.subject ?? ""),
    snippet: String(t.snippet ?? ""),
    participants: (t.participants as { email: string; name?: string }[]) ?? [],
    message_ids: (t.message_ids as string[]) ?? [],
    draft_ids: (t.draft_ids as string[]) ?? [],
    unread: Boolean(t.unread),
    starred: Boolean(t.starred),
    has_attachments: Boolean(t.has_attachments),
    latest_message_date:
      (t.latest_message_received_date as number | null) ??
      (t.latest_message_sent_date as number | null) ??
      null,
    folders: (t.folders as string[]) ?? [],
  };
}

export const listThreads = defineTool({
  name: "list_threads",
  title: "List threads",
  description: `Lists an account's conversations, most recent first. ${EXTERNAL_CONTENT}`,
  input: {
    grant: grantArg,
    folder: z.string().optional().describe("Only threads with a message in this folder"),
    subject: z.string().optional(),
    any_email: z.string().optional().describe("Only threads with this participant"),
    unread: z.boolean().optional(),
    ...pageArgs,
  },
  output: { threads: z.array(threadSummary), next_page_token: z.string().nullable(), notice },
  hints: READ_MAIL,
  run: async (ctx, { grant, folder, subject, any_email, unread, limit, page_token }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, "/threads"), {
      in: folder,
      subject,
      any_email,
      unread,
      limit: limit ?? 20,
      page_token,
    });
    return {
      threads: (reply.body.data as Row[]).map(summarizeThread),
      next_page_token: (reply.body.next_cursor as string | null) ?? null,
      notice: EXTERNAL_CONTENT,
    };
  },
});

const folder = z.looseObject({
  id: z.string(),
  name: z.string(),
  parent_id: z.string().nullable().optional(),
  total_count: z.number().optional(),
  unread_count: z.number().optional(),
});

function summarizeFolder(f: Row) {
  return {
    id: String(f.id),
    name: String(f.name),
    parent_id: (f.parent_id as string | null | undefined) ?? null,
    attributes: (f.attributes as string[] | undefined) ?? [],
    total_count: Number(f.total_count ?? 0),
    unread_count: Number(f.unread_count ?? 0),
  };
}

export const getFolderById = defineTool({
  name: "get_folder_by_id",
  title: "Get a folder",
  description:
    'One folder of an account, with its message and unread counts (system folders also by name: "inbox").',
  input: { grant: grantArg, folder_id: z.string().min(1) },
  output: { folder },
  hints: READ,
  run: async (ctx, { grant, folder_id }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, `/folders/${encodeURIComponent(folder_id)}`));
    return { folder: summarizeFolder(reply.body.data as Row) };
  },
});

export const listFolders = defineTool({
  name: "list_folders",
  title: "List folders",
  description: "Every folder of an account, with its message and unread counts.",
  input: { grant: grantArg },
  output: { folders: z.array(folder) },
  hints: READ,
  run: async (ctx, { grant }) => {
    const id = await resolveGrant(ctx.api, grant);
    const reply = await ctx.api.get(grantPath(id, "/folders"));
    return { folders: (reply.body.data as Row[]).map(summarizeFolder) };
  },
});

const grantObject = z.looseObject({
  id: z.string(),
  email: z.string(),
  provider: z.string(),
  grant_status: z.string(),
});

function summarizeGrant(g: Row) {
  return {
    id: String(g.id),
    email: String(g.email ?? ""),
    name: (g.name as string | null | undefined) ?? null,
    provider: String(g.provider ?? ""),
    grant_status: String(g.grant_status ?? ""),
    created_at: Number(g.created_at ?? 0),
  };
}

export const getGrant = defineTool({
  name: "get_grant",
  title: "Get an account",
  description: "An account (grant) this API key may use, by its email address or its grant id.",
  input: { grant: grantArg },
  output: { grant: grantObject },
  hints: READ,
  run: async (ctx, { grant }) => {
    if (grant.includes("@")) {
      const found = await findGrantByEmail(ctx.api, grant);
      if (!found) throw new ToolFailure(`no account ${grant} is reachable with this API key`);
      return { grant: summarizeGrant(found) };
    }
    const reply = await ctx.api.get(grantPath(grant));
    return { grant: summarizeGrant(reply.body.data as Row) };
  },
});

export const listGrants = defineTool({
  name: "list_grants",
  title: "List accounts",
  description: "The accounts (grants) this API key may use, newest first.",
  input: {
    limit: z.number().int().min(1).max(200).optional().describe("How many (default 50)"),
    offset: z.number().int().min(0).optional(),
  },
  output: { grants: z.array(grantObject) },
  hints: READ,
  run: async (ctx, { limit, offset }) => {
    const reply = await ctx.api.get("/v3/grants", { limit: limit ?? 50, offset });
    return { grants: (reply.body.data as Row[]).map(summarizeGrant) };
  },
});
