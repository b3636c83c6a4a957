import { Elysia } from "elysia";
import { attachmentBytes, findAttachment } from "../../mailbox/attachments.ts";
import { presentAttachment } from "../../present/message.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { single } from "../http.ts";
import { pathParam } from "../validate.ts";
import { requireGrant } from "./messages.ts";

export function attachmentRoutes(deps: ApiDeps) {
  const load = async (request: Request, grantParam: string | undefined, idParam: string | undefined) => {
    const grant = await requireGrant(deps, request, grantParam);
    const id = pathParam(idParam, "attachment id");
    const messageId = new URL(request.url).searchParams.get("message_id");
    if (!messageId) throw badRequest("query parameter message_id is required");
    const row = findAttachment(deps.store, grant.id, messageId, id);
    if (!row) throw notFound(`attachment ${id} of message ${messageId}`);
    return row;
  };

  return new Elysia()
    .get("/v3/grants/:grantId/attachments/:attachmentId", async ({ request, params }) =>
      single(request, presentAttachment(await load(request, params.grantId, params.attachmentId))),
    )
    .get("/v3/grants/:grantId/attachments/:attachmentId/download", async ({ request, params }) => {
      const row = await load(request, params.grantId, params.attachmentId);
      const bytes = attachmentBytes(deps.store, row);
      if (!bytes) throw notFound(`content of attachment ${row.id}`);
      const type = row.contentType.split(";")[0]?.trim() || "application/octet-stream";
      const filename = row.filename ?? "attachment";
      // Header values must be Latin-1: an ASCII fallback, and the exact name per RFC 6266/5987.
      const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return new Response(bytes, {
        headers: {
          "content-type": type,
          "content-length": String(bytes.byteLength),
          "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(filename)}`,
        },
      });
    });
}

/** RFC 5987 ext-value: encodeURIComponent leaves ' ( ) * unencoded, which attr-char forbids. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
