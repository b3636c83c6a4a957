import { Elysia } from "elysia";
import { getMessage } from "../../mailbox/messages.ts";
import { presentMessage } from "../../present/message.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError, badRequest } from "../errors.ts";
import { json } from "../http.ts";
import { resolveFolderId } from "../message-query.ts";
import { requireGrant } from "./messages.ts";

/**
 * POST /v3/grants/{id}/messages/import (agentbox extension): one existing message, raw RFC 5322
 * (`Content-Type: message/rfc822`), stored as it is into a folder, as IMAP APPEND stores it: a
 * Message-ID the folder already holds is not stored again (200 with that message; 201 when
 * stored), so an interrupted import can simply run again. Nothing is sent, no rule runs.
 */
export function importRoutes(deps: ApiDeps) {
  return new Elysia().post(
    "/v3/grants/:grantId/messages/import",
    async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "message/rfc822")
        throw badRequest("send the message itself, with Content-Type: message/rfc822");
      const raw = new Uint8Array(await request.arrayBuffer());
      if (raw.byteLength === 0) throw badRequest("the message is empty");
      const max = deps.config.limits.maxMessageBytes;
      if (raw.byteLength > max) {
        throw new ApiError(
          413,
          `the message is ${raw.byteLength} bytes; the limit is ${max} (AGENTBOX_MAX_MESSAGE_BYTES)`,
        );
      }
      const reply = await deps.mailboxes.ask(grant.id, "imapAppend", {
        folderId: resolveFolderId(q.get("folder") || "inbox"),
        raw,
        anyFolder: true,
        flags: { seen: flag(q, "seen"), flagged: flag(q, "flagged"), answered: flag(q, "answered") },
        ...(q.get("received_at") && { internalDate: receivedAt(q.get("received_at") ?? "") }),
      });
      const view = getMessage(deps.store, grant.id, reply.id);
      return json(request, reply.existing ? 200 : 201, {
        data: view ? presentMessage(view) : { id: reply.id },
        duplicate: reply.existing,
      });
    },
    { parse: "none" },
  );
}

function flag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null || v === "" || v === "false") return false;
  if (v === "true") return true;
  throw badRequest(`query parameter ${key} must be true or false`);
}

function receivedAt(value: string): number {
  if (!/^\d{1,11}$/.test(value)) throw badRequest("query parameter received_at must be Unix seconds");
  return Number(value);
}
