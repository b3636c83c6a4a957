import { Elysia } from "elysia";
import { type CleanOptions, DEFAULT_CLEAN_OPTIONS } from "../../mail/clean/index.ts";
import { getMessage, type MessageView } from "../../mailbox/messages.ts";
import { presentCleanMessage } from "../../present/clean-message.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { json } from "../http.ts";
import { selectFields } from "../message-query.ts";
import { type Json, optionalBoolean, rejectUnknown, requireObject } from "../validate.ts";
import { requireGrant } from "./messages.ts";

const MAX_MESSAGES = 20;
const OPTIONS = {
  ignore_links: "ignoreLinks",
  ignore_images: "ignoreImages",
  images_as_markdown: "imagesAsMarkdown",
  ignore_tables: "ignoreTables",
  remove_conclusion_phrases: "removeConclusionPhrases",
  html_as_markdown: "htmlAsMarkdown",
} as const satisfies Record<string, keyof CleanOptions>;

/**
 * PUT /v3/grants/{id}/messages/clean: up to 20 messages, each with `conversation`, its body
 * without quoted replies, forwarded history or signature, as plain text or Markdown.
 */
export function cleanRoutes(deps: ApiDeps) {
  return new Elysia().put("/v3/grants/:grantId/messages/clean", async ({ request, params, body }) => {
    const grant = await requireGrant(deps, request, params.grantId);
    const input = requireObject(body);
    rejectUnknown(input, ["message_id", ...Object.keys(OPTIONS)]);
    const ids = messageIds(input);
    const options = cleanOptions(input);
    const views = ids.map((id): MessageView => {
      const view = getMessage(deps.store, grant.id, id);
      if (!view) throw notFound(`message ${id}`);
      return view;
    });
    const select = selectFields(new URL(request.url).searchParams);
    const data = views.map((view) => {
      const item = presentCleanMessage(view, options);
      return select ? { ...select(item), conversation: item.conversation } : item;
    });
    return json(request, 200, { data });
  });
}

function messageIds(input: Json): string[] {
  const ids = input.message_id;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string" || id.length === 0 || id.length > 64)) {
    throw badRequest("message_id must be an array of message ids");
  }
  if (ids.length === 0 || ids.length > MAX_MESSAGES) {
    throw badRequest(`message_id must hold 1 to ${MAX_MESSAGES} message ids (got ${ids.length})`);
  }
  return [...new Set(ids as string[])];
}

function cleanOptions(input: Json): CleanOptions {
  const options: CleanOptions = { ...DEFAULT_CLEAN_OPTIONS };
  for (const [wire, name] of Object.entries(OPTIONS)) {
    const value = optionalBoolean(input, wire, wire);
    if (value !== undefined) options[name] = value;
  }
  if (options.htmlAsMarkdown && !options.imagesAsMarkdown) {
    throw badRequest("images_as_markdown cannot be false when html_as_markdown is true");
  }
  return options;
}
