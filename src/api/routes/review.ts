import { Elysia } from "elysia";
import { presentMessage } from "../../present/message.ts";
import { releaseHeld } from "../../sending/review.ts";
import type { ApiDeps } from "../deps.ts";
import { json } from "../http.ts";
import { pathParam } from "../validate.ts";
import { requireGrant } from "./messages.ts";

/**
 * POST /v3/grants/{id}/messages/{message_id}/release (agentbox): an agent releases a message an
 * outbound rule held for review, as a person does by moving it to Outbox. Answers as a send does:
 * the Sent copy (same id).
 */
export function reviewRoutes(deps: ApiDeps) {
  return new Elysia().post("/v3/grants/:grantId/messages/:messageId/release", async ({ request, params }) => {
    const grant = await requireGrant(deps, request, params.grantId);
    const sent = await releaseHeld(deps, grant, pathParam(params.messageId, "message id"));
    return json(request, 200, { grant_id: grant.id, data: presentMessage(sent) });
  });
}
