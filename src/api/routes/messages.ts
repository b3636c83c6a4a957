import { Elysia } from "elysia";
import { findGrant } from "../../accounts/grants.ts";
import { messageHeaders } from "../../mail/message-headers.ts";
import { getMessage, type MessageView, rawMessage } from "../../mailbox/messages.ts";
import { presentCleanMessage } from "../../present/clean-message.ts";
import { presentMessage } from "../../present/message.ts";
import type { GrantRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { messagePage } from "../message-page.ts";
import { resolveFolderId, selectFields } from "../message-query.ts";
import { asksProvider, providerMessage, providerMessages } from "../provider-messages.ts";
import { type Json, optionalBoolean, pathParam, rejectUnknown, requireObject } from "../validate.ts";

const FIELDS = [
  "standard",
  "include_headers",
  "include_basic_headers",
  "raw_mime",
  "include_tracking_options",
  // agentbox extension: the message plus `conversation`, as PUT /messages/clean gives it.
  "include_conversation",
] as const;
type Fields = (typeof FIELDS)[number];

/** The grant a /v3/grants/{id}/… request names, of the caller's application. */
export async function requireGrant(
  deps: ApiDeps,
  request: Request,
  param: string | undefined,
): Promise<GrantRow> {
  const id = pathParam(param, "grant id");
  const grant = await findGrant(deps.store, callerOf(request).applicationId, id);
  if (!grant) throw notFound(`grant ${id}`);
  return grant;
}

export function messageRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/grants/:grantId/messages", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const page = asksProvider(grant, q)
        ? { items: await providerMessages(deps, grant, q), next: null }
        : messagePage(deps.store, grant.id, q);
      const items = await present(deps, page.items, fieldsOf(q));
      const select = selectFields(q);
      return cursorList(request, select ? items.map(select) : items, page.next);
    })
    .get("/v3/grants/:grantId/messages/:messageId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const cached = await requireMessage(deps, grant, params.messageId);
      const q = new URL(request.url).searchParams;
      const view = asksProvider(grant, q) ? await providerMessage(deps, grant, cached) : cached;
      if (!view) throw notFound(`message ${cached.row.id} (no longer at the provider)`);
      const [item] = await present(deps, [view], fieldsOf(q));
      const select = selectFields(q);
      return single(request, select && item ? select(item) : item);
    })
    .put("/v3/grants/:grantId/messages/:messageId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const view = await requireMessage(deps, grant, params.messageId);
      const input = requireObject(body);
      if (Object.keys(input).length === 0)
        throw badRequest(
          "empty request body: send at least one of unread, starred, answered, folders, metadata",
        );
      rejectUnknown(input, ["unread", "starred", "answered", "folders", "metadata"]);
      await deps.mailboxes.ask(grant.id, "updateMessage", {
        messageId: view.row.id,
        ...flagChanges(input),
        ...folderChange(input),
        ...(input.metadata !== undefined && { metadata: parseMetadata(input.metadata) }),
      });
      const updated = await requireMessage(deps, grant, view.row.id);
      return single(request, presentMessage(updated));
    })
    .delete("/v3/grants/:grantId/messages/:messageId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const view = await requireMessage(deps, grant, params.messageId);
      const hard = new URL(request.url).searchParams.get("hard_delete") === "true";
      await deps.mailboxes.ask(grant.id, "deleteMessage", { messageId: view.row.id, hard });
      return deleted(request);
    });
}

export async function requireMessage(
  deps: ApiDeps,
  grant: GrantRow,
  param: string | undefined,
): Promise<MessageView> {
  const id = pathParam(param, "message id");
  const view = getMessage(deps.store, grant.id, id);
  if (!view) throw notFound(`message ${id}`);
  return view;
}

function fieldsOf(q: URLSearchParams): Fields {
  const v = q.get("fields") ?? "standard";
  if (!FIELDS.includes(v as Fields)) throw badRequest(`fields must be one of: ${FIELDS.join(", ")}`);
  return v as Fields;
}

async function present(
  deps: ApiDeps,
  views: MessageView[],
  fields: Fields,
): Promise<Record<string, unknown>[]> {
  if (fields === "standard" || fields === "include_tracking_options") return views.map(presentMessage);
  if (fields === "include_conversation") return views.map((v) => presentCleanMessage(v));
  return Promise.all(
    views.map(async (v) => {
      const raw = rawMessage(deps.store, v.row.blobHash) ?? new Uint8Array();
      if (fields === "raw_mime") {
        return {
          grant_id: v.row.grantId,
          object: "message",
          id: v.row.id,
          raw_mime: Buffer.from(raw).toString("base64url"),
        };
      }
      return { ...presentMessage(v), headers: messageHeaders(raw, fields === "include_basic_headers") };
    }),
  );
}

function flagChanges(input: Json) {
  const unread = optionalBoolean(input, "unread", "unread");
  const starred = optionalBoolean(input, "starred", "starred");
  const answered = optionalBoolean(input, "answered", "answered");
  const flags = {
    ...(unread !== undefined && { seen: !unread }),
    ...(starred !== undefined && { flagged: starred }),
    ...(answered !== undefined && { answered }),
  };
  return Object.keys(flags).length > 0 ? { flags } : {};
}

/** One folder per message (a message lives in exactly one folder, as in IMAP): `folders` must hold exactly one id. */
function folderChange(input: Json): { folderId?: string } {
  if (input.folders === undefined) return {};
  const folders = input.folders;
  if (!Array.isArray(folders) || folders.some((f) => typeof f !== "string")) {
    throw badRequest("folders must be an array of folder ids");
  }
  if (folders.length !== 1) {
    throw badRequest(
      `folders must hold exactly one folder id (got ${folders.length}): a message lives in one folder`,
    );
  }
  return { folderId: resolveFolderId(folders[0] as string) };
}

export function parseMetadata(value: unknown): Record<string, string> {
  const m = requireObject(value, "metadata");
  const entries = Object.entries(m);
  if (entries.length > 50) throw badRequest(`metadata may hold at most 50 pairs (got ${entries.length})`);
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw badRequest(`metadata.${k} must be a string`);
    if (v.length > 500) throw badRequest(`metadata.${k} must be at most 500 characters`);
  }
  return m as Record<string, string>;
}
