import { Elysia } from "elysia";
import { nowSeconds } from "../../ids.ts";
import {
  cancelQueued,
  findQueueEntry,
  listQueue,
  type QueueEntry,
  type QueueState,
  retryNow,
} from "../../smtp/queue-admin.ts";
import { callerOf } from "../auth.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { ApiDeps } from "../deps.ts";
import { conflict, notFound } from "../errors.ts";
import { cursorList, single } from "../http.ts";
import { pathParam, queryEnum, queryInt } from "../validate.ts";

const STATES = ["pending", "deferred", "sending", "delivered", "bounced"] as const;

/**
 * /v3/admin/outbound (agentbox extension): the caller's application's outbound queue rows, one
 * per recipient, with retry-now and cancel for the ones waiting.
 */
export function outboundRoutes(deps: ApiDeps & { onQueued?: () => void }) {
  const load = (request: Request, param: string | undefined): QueueEntry => {
    const id = pathParam(param, "queue id");
    const entry = findQueueEntry(deps.store, callerOf(request).applicationId, id);
    if (!entry) throw notFound(`outbound queue entry ${id}`);
    return entry;
  };
  const waiting = (entry: QueueEntry) => entry.state === "pending" || entry.state === "deferred";

  return new Elysia()
    .get("/v3/admin/outbound", ({ request }) => {
      const query = new URL(request.url).searchParams;
      const state = query.has("state") ? queryEnum<QueueState>(query, "state", STATES, "pending") : null;
      const limit = queryInt(query, "limit", 50, 1, 200);
      const before = decodeCursor(query.get("page_token"), { createdAt: "number", id: "string" });
      const rows = listQueue(deps.store, callerOf(request).applicationId, state, limit, before);
      const last = rows.at(-1);
      const next =
        rows.length === limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
      return cursorList(request, rows.map(present), next);
    })
    .get("/v3/admin/outbound/:id", ({ request, params }) =>
      single(request, present(load(request, params.id))),
    )
    .post("/v3/admin/outbound/:id/retry", async ({ request, params }) => {
      const entry = load(request, params.id);
      if (!waiting(entry) || !(await retryNow(deps.store, entry.id, nowSeconds()))) {
        throw conflict(`outbound queue entry ${entry.id} is ${entry.state}, not waiting`);
      }
      deps.onQueued?.();
      deps.log.info({ queueId: entry.id }, "outbound retry requested");
      return single(request, present(load(request, entry.id)));
    })
    .delete("/v3/admin/outbound/:id", async ({ request, params }) => {
      const entry = load(request, params.id);
      if (!waiting(entry) || !(await cancelQueued(deps.store, entry.id, nowSeconds()))) {
        throw conflict(`outbound queue entry ${entry.id} is ${entry.state}, not waiting`);
      }
      deps.log.info({ queueId: entry.id }, "outbound delivery cancelled");
      return single(request, present(load(request, entry.id)));
    });
}

function present(e: QueueEntry) {
  return {
    id: e.id,
    object: "outbound_message",
    grant_id: e.grantId,
    message_id: e.messageId,
    from: e.mailFrom,
    to: e.rcptTo,
    state: e.state,
    attempts: e.attempts,
    next_attempt_at: e.nextAttemptAt,
    last_error: e.lastError,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}
