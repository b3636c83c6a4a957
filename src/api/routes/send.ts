import { createHash } from "node:crypto";
import { Elysia } from "elysia";
import { nowSeconds } from "../../ids.ts";
import { requestFingerprint } from "../../mail/compose/recipients.ts";
import { parseSendRequest } from "../../mail/compose/request.ts";
import { HeaderLimit } from "../../mail/header-limit.ts";
import { parseMessage } from "../../mail/parse-message.ts";
import type { MessageView } from "../../mailbox/messages.ts";
import { presentMessage } from "../../present/message.ts";
import { presentScheduledMessage } from "../../present/schedule.ts";
import { MAX_RECIPIENTS, scheduledTime } from "../../sending/limits.ts";
import { sendRawMime } from "../../sending/raw-send.ts";
import { scheduleMessage, sendMessage } from "../../sending/send.ts";
import type { GrantRow } from "../../store/schema.ts";
import { readComposeBody, readMimeBody } from "../compose-body.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { idempotencyKeyOf, type PreparedSend, runIdempotent, type SendOutcome } from "../idempotent.ts";
import { requireGrant } from "./messages.ts";

/**
 * POST /v3/grants/{id}/messages/send: JSON, multipart, or raw MIME (`?type=mime`); 200 with the
 * Sent copy, or 202 with a scheduled message.
 */
export function sendRoutes(deps: ApiDeps) {
  return new Elysia().post(
    "/v3/grants/:grantId/messages/send",
    async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      // The key is checked before the body is read.
      idempotencyKeyOf(request);
      const prepared = await prepare(deps, grant, request);
      return runIdempotent(deps, request, { grantId: grant.id }, prepared);
    },
    { parse: "none" },
  );
}

async function prepare(deps: ApiDeps, grant: GrantRow, request: Request): Promise<PreparedSend> {
  const type = new URL(request.url).searchParams.get("type");
  if (type === "mime") {
    const mime = await readMimeBody(request);
    checkHeaderLimits(mime, deps.config.smtp);
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

/**
 * The MX's and submission's header limits, on a raw MIME send too: a header no MTA would take
 * (and whose parsing is quadratic in folded lines) is a 400 naming the limit it is over.
 */
function checkHeaderLimits(
  mime: Uint8Array,
  limits: { maxHeaderBytes: number; maxHeaderLines: number },
): void {
  const header = new HeaderLimit(limits.maxHeaderBytes, limits.maxHeaderLines);
  if (!header.feed(Buffer.from(mime.buffer, mime.byteOffset, mime.byteLength))) return;
  throw badRequest(
    header.exceededBy === "bytes"
      ? `the message header is over AGENTBOX_SMTP_MAX_HEADER_BYTES (${limits.maxHeaderBytes} bytes)`
      : `the message header is over AGENTBOX_SMTP_MAX_HEADER_LINES (${limits.maxHeaderLines} lines)`,
  );
}
