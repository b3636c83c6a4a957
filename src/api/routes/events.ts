import { Elysia } from "elysia";
import { headSeq, queryEvents } from "../../events/log.ts";
import { logEnvelope } from "../../present/logged-event.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { parseEventFilter, parsePosition } from "../event-query.ts";
import { json } from "../http.ts";
import { eventStreamResponse } from "../sse.ts";
import { queryInt } from "../validate.ts";

/**
 * The event log (agentbox extension, not in Nylas): every event of the caller's application, in
 * commit order, the same envelopes webhooks carry. A client that was offline pages from its last
 * position, or streams with Server-Sent Events.
 */
export function eventRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/events", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const filter = parseEventFilter(q);
      const after = parsePosition(q.get("after") ?? q.get("page_token"), "after") ?? 0;
      const limit = queryInt(q, "limit", 50, 1, 200);
      const upTo = headSeq(deps.store);
      const rows = queryEvents(deps.store, {
        applicationId: callerOf(request).applicationId,
        after,
        upTo,
        types: filter.types,
        grantId: filter.grantId,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const hasMore = rows.length > limit;
      // The position to continue from: past the page, or (last page) past everything read.
      const next = hasMore ? (page.at(-1)?.seq ?? after) : Math.max(after, upTo);
      const data = page.map((e) => logEnvelope(deps.store, e));
      return json(request, 200, { data, next_cursor: String(next), has_more: hasMore });
    })
    .get("/v3/events/stream", ({ request }) => {
      const q = new URL(request.url).searchParams;
      const resumeFrom =
        parsePosition(request.headers.get("last-event-id"), "Last-Event-ID") ??
        parsePosition(q.get("after"), "after");
      return eventStreamResponse(request, {
        store: deps.store,
        streams: deps.streams,
        applicationId: callerOf(request).applicationId,
        filter: parseEventFilter(q),
        after: resumeFrom ?? headSeq(deps.store),
        heartbeatMs: deps.config.webhooks.sseHeartbeatMs,
      });
    });
}
