import { Elysia } from "elysia";
import { presentSignature } from "../../present/signature.ts";
import {
  createSignature,
  deleteSignature,
  findSignature,
  listSignatures,
  updateSignature,
} from "../../signatures/signatures.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { cursorList, deleted, single } from "../http.ts";
import { nextCursorOf, pageParams } from "../page.ts";
import {
  type Json,
  optionalString,
  pathParam,
  rejectUnknown,
  requiredString,
  requireObject,
} from "../validate.ts";
import { requireGrant } from "./messages.ts";

/** Nylas: "Maximum 100 KB" of HTML per signature. */
const MAX_BODY_BYTES = 100 * 1024;

/** /v3/grants/{id}/signatures: a grant's signatures, named by `signature_id` on sends and drafts. */
export function signatureRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/grants/:grantId/signatures", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const { limit, after } = pageParams(new URL(request.url).searchParams);
      const page = listSignatures(deps.store, grant.id, limit, after);
      return cursorList(request, page.rows.map(presentSignature), nextCursorOf(page));
    })
    .post("/v3/grants/:grantId/signatures", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const input = requireObject(body);
      rejectUnknown(input, ["name", "body"]);
      const row = await createSignature(deps.store, grant.id, {
        name: requiredString(input, "name", "name", 256),
        body: signatureBody(input, true) as string,
      });
      return single(request, presentSignature(row), 201);
    })
    .get("/v3/grants/:grantId/signatures/:signatureId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.signatureId, "signature id");
      const row = findSignature(deps.store, grant.id, id);
      if (!row) throw notFound(`signature ${id}`);
      return single(request, presentSignature(row));
    })
    .put("/v3/grants/:grantId/signatures/:signatureId", async ({ request, params, body }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.signatureId, "signature id");
      const input = requireObject(body);
      rejectUnknown(input, ["name", "body"]);
      const name = input.name === undefined ? undefined : requiredString(input, "name", "name", 256);
      const html = signatureBody(input, false);
      const row = await updateSignature(deps.store, grant.id, id, {
        ...(name !== undefined && { name }),
        ...(html !== undefined && { body: html }),
      });
      if (!row) throw notFound(`signature ${id}`);
      return single(request, presentSignature(row));
    })
    .delete("/v3/grants/:grantId/signatures/:signatureId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const id = pathParam(params.signatureId, "signature id");
      if (!(await deleteSignature(deps.store, grant.id, id))) throw notFound(`signature ${id}`);
      return deleted(request);
    });
}

function signatureBody(input: Json, required: boolean): string | undefined {
  const html = required
    ? requiredString(input, "body", "body", MAX_BODY_BYTES)
    : optionalString(input, "body", "body", MAX_BODY_BYTES);
  if (html !== undefined && Buffer.byteLength(html) > MAX_BODY_BYTES) {
    throw badRequest(`body must be at most ${MAX_BODY_BYTES} bytes of HTML`);
  }
  return html;
}
