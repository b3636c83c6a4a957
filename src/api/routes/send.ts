import { createHash } from "node:crypto";
import { Elysia } from "elysia";
import { nowSeconds } from "../../ids.ts";
import { requestFingerprint } from "../../mail/compose/recipients.ts";
import { parseSendRequest } from "../../mail/compose/request.ts";
import { parseMessage } from "../../mail/parse-message.ts";
import type { MessageView } from "../../mailbox/messages.ts";
import { presentMessage } from "../../present/message.ts";
import { presentScheduledMessage } from "../../present/schedule.ts";
import { claimKey, finishKey, releaseKey } from "../../sending/idempotency.ts";
import { MAX_RECIPIENTS, scheduledTime } from "../../sending/limits.ts";
import { sendRawMime } from "../../sending/raw-send.ts";
import { scheduleMessage, sendMessage } from "../../sending/send.ts";
import type { GrantRow } from "../../store/schema.ts";
import { readComposeBody, readMimeBody } from "../compose-body.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError, badRequest } from "../errors.ts";
import { json } from "../http.ts";
import { requireGrant } from "./messages.ts";

const MAX_KEY_LENGTH = 256;

/** What a send answers: 200 with the Sent copy, or 202 with a scheduled message. */
interface SendOutcome {
  status: 200 | 202;
  body: Record<string, unknown>;
}

/** A send request, validated: what identifies it for Idempotency-Key, and how to run it. */
interface PreparedSend {
  fingerprint: string;
  run: () => Promise<SendOutcome>;
}

/** POST /v3/grants/{id}/messages/send: JSON, multipart, or raw MIME (`?type=mime`). */
export function sendRoutes(deps: ApiDeps) {
  return new Elysia().post(
    "/v3/grants/:grantId/messages/send",
    async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const key = idempotencyKeyOf(request);
      const prepared = await prepare(deps, grant, request);
      if (key === null) {
        const outcome = await prepared.run();
        return json(request, outcome.status, outcome.body);
      }
      return withIdempotency(deps, request, grant, key, prepared);
    },
    { parse: "none" },
  );
}

async function prepare(deps: ApiDeps, grant: GrantRow, request: Request): Promise<PreparedSend> {
  const type = new URL(request.url).searchParams.get("type");
  if (type === "mime") {
    const mime = await readMimeBody(request);
    return {
      fingerprint: createHash("sha256").update("mime\n").update(mime).digest("hex"),
      run: async () => sent(grant, await sendRawMime(deps, grant, mime)),
    };
  }
  if (type !== null && type !== "") throw badRequest("query parameter type must be mime when present");
  const body = await readComposeBody(request, ["message"]);
  const req = parseSendRequest(
    { json: body.json, files: body.files },
    { forDraft: false, maxRecipients: MAX_RECIPIENTS },
  );
  // Checked now, so that a send_at too far ahead is a 400 before anything is composed.
  const sendAt = scheduledTime(req.sendAt, nowSeconds());
  const run =
    sendAt === null
      ? async () => sent(grant, await sendMessage(deps, grant, req))
      : async () => scheduled(grant, await scheduleMessage(deps, grant, req, sendAt));
  return { fingerprint: requestFingerprint(req), run };
}

function sent(grant: GrantRow, view: MessageView): SendOutcome {
  return { status: 200, body: { grant_id: grant.id, data: presentMessage(view) } };
}

function scheduled(
  grant: GrantRow,
  { schedule, sentRaw }: Awaited<ReturnType<typeof scheduleMessage>>,
): SendOutcome {
  const data = presentScheduledMessage(grant, schedule, parseMessage(sentRaw));
  // Nylas's 202 names the schedule at the top level too (its spec requires `schedule_id` there).
  return {
    status: 202,
    body: { schedule_id: schedule.id, send_at: schedule.sendAt, use_draft: false, grant_id: grant.id, data },
  };
}

function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ApiError(
      400,
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters (got ${key.length})`,
      "api.invalid_idempotency_key",
    );
  }
  return key;
}

/**
 * The first request with a key runs and its response is kept an hour; a replay with the same
 * request gets that response again (Idempotent-Response: true); a different request, or one
 * while the first is still running, is a 409. A failed send releases the key.
 */
async function withIdempotency(
  deps: ApiDeps,
  request: Request,
  grant: GrantRow,
  key: string,
  prepared: PreparedSend,
): Promise<Response> {
  const claim = await claimKey(deps.store, grant.id, key, prepared.fingerprint, nowSeconds());
  if (claim.kind === "mismatch") {
    throw new ApiError(
      409,
      "this Idempotency-Key was already used with a different request; use a new key for a new message",
      "api.invalid_idempotent_request",
    );
  }
  if (claim.kind === "in_flight") {
    throw new ApiError(
      409,
      "a request with this Idempotency-Key is still being processed; retry once it has finished",
      "api.concurrent_idempotent_request",
    );
  }
  if (claim.kind === "replay") {
    const response = json(request, claim.status, claim.body);
    response.headers.set("idempotent-response", "true");
    return response;
  }
  let outcome: SendOutcome;
  try {
    outcome = await prepared.run();
  } catch (err) {
    await releaseKey(deps.store, grant.id, key);
    throw err;
  }
  await finishKey(deps.store, grant.id, key, outcome.status, outcome.body);
  return json(request, outcome.status, outcome.body);
}
