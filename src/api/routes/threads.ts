import { Elysia } from "elysia";
import { getThread, listThreads, type ThreadView } from "../../mailbox/threads.ts";
import { presentThread } from "../../present/thread.ts";
import type { GrantRow } from "../../store/schema.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { filterQuery, parseMessageFilter, resolveFolderId, selectFields } from "../message-query.ts";
import { optionalBoolean, pathParam, queryInt, rejectUnknown, requireObject } from "../validate.ts";
import { requireGrant } from "./messages.ts";

export function threadRoutes(deps: ApiDeps) {
  const load = (grant: GrantRow, param: string | undefined): ThreadView => {
    const id = pathParam(param, "thread id");
    const view = getThread(deps.store, grant.id, id);
    if (!view) throw notFound(`thread ${id}`);
    return view;
  };

  return new Elysia()
    .get("/v3/grants/:grantId/threads", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const limit = queryInt(q, "limit", 20, 1, 200);
      const cursor = decodeCursor(q.get("page_token"), { q: "string", l: "number", s: "number" });
      const filterParams = cursor ? new URLSearchParams(cursor.q) : q;
      const page = listThreads(
        deps.store,
        grant.id,
        parseMessageFilter(filterParams),
        limit,
        cursor ? { latest: cursor.l, seq: cursor.s } : null,
      );
      const next = page.next
        ? encodeCursor({ q: filterQuery(filterParams), l: page.next.latest, s: page.next.seq })
        : null;
      const select = selectFields(q);
      const items = page.items.map(presentThread);
      return cursorList(request, select ? items.map(select) : items, next);
    })
    .get("/v3/grants/:grantId/threads/:threadId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      return single(request, presentThread(load(grant, params.threadId)));
    })
    .put("/v3/grants/:grantId/threads/:threadId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const thread = load(grant, params.threadId);
      const input = requireObject(body);
      if (Object.keys(input).length === 0)
        throw badRequest("empty request body: send at least one of unread, starred, folders");
      rejectUnknown(input, ["unread", "starred", "folders"]);
      const unread = optionalBoolean(input, "unread", "unread");
      const starred = optionalBoolean(input, "starred", "starred");
      const folderId = singleFolder(input.folders);
      for (const m of thread.messages) {
        await deps.mailboxes.ask(grant.id, "updateMessage", {
          messageId: m.id,
          flags: {
            ...(unread !== undefined && { seen: !unread }),
            ...(starred !== undefined && { flagged: starred }),
          },
          ...(folderId && { folderId }),
        });
      }
      return single(request, presentThread(load(grant, thread.row.id)));
    })
    .delete("/v3/grants/:grantId/threads/:threadId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const thread = load(grant, params.threadId);
      for (const m of thread.messages)
        await deps.mailboxes.ask(grant.id, "deleteMessage", { messageId: m.id, hard: false });
      return deleted(request);
    });
}

function singleFolder(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== "string") {
    throw badRequest("folders must hold exactly one folder id: a message lives in one folder");
  }
  return resolveFolderId(value[0]);
}
