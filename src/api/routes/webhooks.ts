import { Elysia } from "elysia";
import { nowSeconds } from "../../ids.ts";
import { presentWebhook } from "../../present/webhook.ts";
import { presentWebhookAttempt } from "../../present/webhook-attempt.ts";
import type { WebhookRow } from "../../store/schema.ts";
import { listAttempts, scheduleResend } from "../../webhooks/attempts.ts";
import { verifyEndpoint } from "../../webhooks/challenge.ts";
import { deliveryState } from "../../webhooks/delivery-state.ts";
import { senderAddresses } from "../../webhooks/ip-addresses.ts";
import { mockEnvelope } from "../../webhooks/mock.ts";
import { encodeNotification } from "../../webhooks/notification.ts";
import { postNotification } from "../../webhooks/post.ts";
import { reachOf } from "../../webhooks/reach.ts";
import { MOCK_SECRET } from "../../webhooks/signature.ts";
import {
  createWebhook,
  deleteWebhook,
  findWebhook,
  listWebhooks,
  rotateSecret,
  updateWebhook,
} from "../../webhooks/webhooks.ts";
import { callerOf } from "../auth.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, json, single } from "../http.ts";
import { pathParam, queryInt } from "../validate.ts";
import { parseCreate, parseTestRequest, parseUpdate } from "../webhook-body.ts";

const STARTED_AT = nowSeconds();

/**
 * /v3/webhooks (reference §6.1). Endpoints belong to the caller's application; another
 * application's endpoint is a 404. Every change is committed, then handed to the webhook dispatcher.
 */
export function webhookRoutes(deps: ApiDeps) {
  const load = async (request: Request, param: string | undefined): Promise<WebhookRow> => {
    const id = pathParam(param, "webhook id");
    const row = await findWebhook(deps.store, callerOf(request).applicationId, id);
    if (!row) throw notFound(`webhook ${id}`);
    return row;
  };
  const present = (row: WebhookRow, withSecret = false) =>
    presentWebhook(row, deliveryState(deps.store, row, deps.webhooks.state(row.id)), withSecret);
  const reach = (request: Request) =>
    reachOf(deps.config.webhooks.privateDestinations, callerOf(request).operator);
  const verify = async (request: Request, url: string) => {
    const reason = await verifyEndpoint(url, deps.config.webhooks.challengeTimeoutMs, reach(request));
    if (reason) throw badRequest(`webhook_url failed verification: ${reason}`);
  };

  return new Elysia()
    .get("/v3/webhooks/ip-addresses", ({ request }) =>
      single(request, { ip_addresses: senderAddresses(), updated_at: STARTED_AT }),
    )
    .post("/v3/webhooks/mock-payload", ({ request, body }) => {
      const { triggerType } = parseTestRequest(body, false);
      return single(request, mockEnvelope(triggerType, callerOf(request).applicationId));
    })
    .post("/v3/webhooks/send-test-event", async ({ request, body }) => {
      const { triggerType, url } = parseTestRequest(body, true);
      const envelope = mockEnvelope(triggerType, callerOf(request).applicationId);
      const { body: bytes, headers } = encodeNotification(envelope, MOCK_SECRET, false);
      const result = await postNotification(
        url,
        bytes,
        headers,
        deps.config.webhooks.timeoutMs,
        reach(request),
      );
      if (!result.ok) throw badRequest(`the test event was not accepted: POST ${url}: ${result.error}`);
      return single(request, "success");
    })
    .post("/v3/webhooks/rotate-secret/:id", async ({ request, params }) => {
      const row = await load(request, params.id);
      const rotated = await rotateSecret(deps.store, row.id);
      await deps.webhooks.refresh(row.id);
      deps.log.info({ webhookId: row.id }, "webhook secret rotated");
      return single(request, present(rotated, true));
    })
    .get("/v3/webhooks", async ({ request }) => {
      const rows = await listWebhooks(deps.store, callerOf(request).applicationId);
      return json(request, 200, { data: rows.map((r) => present(r)) });
    })
    .post("/v3/webhooks", async ({ request, body }) => {
      const settings = parseCreate(body);
      await verify(request, settings.url);
      const row = await createWebhook(deps.store, callerOf(request).applicationId, settings);
      await deps.webhooks.refresh(row.id);
      deps.log.info({ webhookId: row.id, applicationId: row.applicationId }, "webhook created");
      return single(request, present(row, true));
    })
    .get("/v3/webhooks/:id/deliveries", async ({ request, params }) => {
      const row = await load(request, params.id);
      const query = new URL(request.url).searchParams;
      const limit = queryInt(query, "limit", 50, 1, 200);
      const before = decodeCursor(query.get("page_token"), { before: "number" })?.before ?? null;
      const attempts = listAttempts(deps.store, row.id, limit, before);
      const last = attempts.at(-1);
      const next = attempts.length === limit && last ? encodeCursor({ before: last.id }) : null;
      return cursorList(request, attempts.map(presentWebhookAttempt), next);
    })
    .post("/v3/webhooks/:id/deliveries/:notification/resend", async ({ request, params }) => {
      const row = await load(request, params.id);
      const notification = pathParam(params.notification, "notification id");
      if (row.status === "pause" || row.status === "failed") {
        throw badRequest(
          `the webhook is ${row.status === "pause" ? "paused" : "failed"}: set its status to active first`,
        );
      }
      if (!(await scheduleResend(deps.store, row.id, notification))) {
        throw notFound(`notification ${notification} of webhook ${row.id}`);
      }
      await deps.webhooks.refresh(row.id);
      deps.log.info(
        { webhookId: row.id, notificationId: notification },
        "webhook notification resend queued",
      );
      return single(request, { notification_id: notification, status: "pending" });
    })
    .get("/v3/webhooks/:id", async ({ request, params }) =>
      single(request, present(await load(request, params.id))),
    )
    .put("/v3/webhooks/:id", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const changes = parseUpdate(body);
      if (changes.url !== undefined && changes.url !== row.url) await verify(request, changes.url);
      const updated = await updateWebhook(deps.store, row.id, changes);
      await deps.webhooks.refresh(row.id);
      if (updated.status !== row.status) {
        deps.log.info({ webhookId: row.id, from: row.status, to: updated.status }, "webhook status set");
      }
      return single(request, present(updated));
    })
    .delete("/v3/webhooks/:id", async ({ request, params }) => {
      const row = await load(request, params.id);
      await deleteWebhook(deps.store, row.id);
      await deps.webhooks.refresh(row.id);
      deps.log.info({ webhookId: row.id }, "webhook deleted");
      return single(request, { status: "success" });
    });
}
