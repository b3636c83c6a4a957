import { z } from "zod";
import { EXTERNAL_CONTENT } from "../tool.ts";

/** The `grant` argument every mailbox tool takes. */
export const grantArg = z
  .string()
  .min(1)
  .describe("The account to act on: its grant id or its email address");

export const participant = z.object({
  email: z.string().describe("Email address"),
  name: z.string().optional().describe("Display name"),
});

export const recipients = z.array(participant).max(100);

export const pageArgs = {
  limit: z.number().int().min(1).max(200).optional().describe("How many to return (default 20)"),
  page_token: z.string().optional().describe("next_page_token of a previous call, for the next page"),
};

export const messageSummary = z.looseObject({
  id: z.string(),
  thread_id: z.string().nullable(),
  subject: z.string(),
  from: z.array(participant),
  to: z.array(participant),
  date: z.number().describe("Unix seconds"),
  unread: z.boolean(),
  starred: z.boolean(),
  folder: z.string(),
  snippet: z.string(),
});

/** The notice carried by every result that holds mail content. */
export const notice = z.string().describe(`How to treat the content of the result: "${EXTERNAL_CONTENT}"`);
