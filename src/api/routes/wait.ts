import { Elysia } from "elysia";
import type { MailboxChange } from "../../domain/changes.ts";
import type { MessageFilter } from "../../mailbox/message-filter.ts";
import { firstMessageSince, type MessageView, matchingMessage } from "../../mailbox/messages.ts";
import { presentCleanMessage } from "../../present/clean-message.ts";
import { presentMessage } from "../../present/message.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { cursorList } from "../http.ts";
import { parseMessageFilter } from "../message-query.ts";
import { queryInt } from "../validate.ts";
import { requireGrant } from "./messages.ts";

const MAX_TIMEOUT_S = 60;

/**
 * GET /v3/grants/{id}/messages/wait (agentbox extension): answers as soon as a message matching
 * the filters and received at or after `since` is committed, or with an empty list at the
 * timeout. Always 200, so SDK clients never throw on a plain timeout.
 */
export function waitRoutes(deps: ApiDeps) {
  return new Elysia().get("/v3/grants/:grantId/messages/wait", async ({ request, params }) => {
    const grant = await requireGrant(deps, request, params.grantId);
    const q = new URL(request.url).searchParams;
    const timeoutS = queryInt(q, "timeout", 30, 1, MAX_TIMEOUT_S);
    const sinceParam = q.get("since");
    if (sinceParam !== null && !/^\d+$/.test(sinceParam))
      throw badRequest("query parameter since must be Unix seconds");
    const filter = parseMessageFilter(q);
    const found = await waitForMessage(
      deps,
      grant.id,
      filter,
      sinceParam === null ? null : Number(sinceParam),
      timeoutS,
      request.signal,
    );
    const present = conversationWanted(q) ? presentCleanMessage : presentMessage;
    return cursorList(request, found ? [present(found)] : [], null);
  });
}

/** `fields=include_conversation` adds the clean text, as on GET /messages/{id}; `standard` is the default. */
function conversationWanted(q: URLSearchParams): boolean {
  const fields = q.get("fields") ?? "standard";
  if (fields !== "standard" && fields !== "include_conversation") {
    throw badRequest("fields must be standard or include_conversation");
  }
  return fields === "include_conversation";
}

/**
 * Subscribes before looking, so a message committed between the look and the subscription
 * cannot be missed. With no explicit `since`, only messages committed after the request arrived
 * count (never a stale one from earlier in the same second).
 */
function waitForMessage(
  deps: ApiDeps,
  grantId: string,
  filter: MessageFilter,
  since: number | null,
  timeoutS: number,
  signal: AbortSignal,
): Promise<MessageView | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (view: MessageView | null) => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timer);
      resolve(view);
    };
    const onChange = (change: MailboxChange) => {
      if (change.type !== "message.created" && change.type !== "message.moved") return;
      const view = matchingMessage(deps.store, grantId, filter, change.messageId);
      if (view) finish(view);
    };
    const unsubscribe = deps.bus.subscribe(grantId, onChange);
    const timer = setTimeout(() => finish(null), timeoutS * 1000);
    signal.addEventListener("abort", () => finish(null));
    const earlier = since === null ? null : firstMessageSince(deps.store, grantId, filter, since);
    if (earlier) finish(earlier);
  });
}
