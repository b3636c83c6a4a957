import { Elysia } from "elysia";
import { FOLDER } from "../../domain/system-folders.ts";
import { parseSendRequest } from "../../mail/compose/request.ts";
import type { MessageView } from "../../mailbox/messages.ts";
import { presentMessage } from "../../present/message.ts";
import { createDraft, deleteDraft, requireDraft, updateDraft } from "../../sending/drafts.ts";
import { MAX_RECIPIENTS } from "../../sending/limits.ts";
import { sendDraft } from "../../sending/send-draft.ts";
import { readComposeBody } from "../compose-body.ts";
import type { ApiDeps } from "../deps.ts";
import { cursorList, deleted, single } from "../http.ts";
import { messagePage } from "../message-page.ts";
import { selectFields } from "../message-query.ts";
import { optionalString, pathParam, rejectUnknown } from "../validate.ts";
import { requireGrant } from "./messages.ts";

const DRAFT_OPTIONS = { forDraft: true, maxRecipients: MAX_RECIPIENTS };
// The spec names the multipart JSON part `draft`; the SDK and the CLI send `message`.
const JSON_PARTS = ["message", "draft"] as const;

/** /v3/grants/{id}/drafts: drafts are the messages of the Drafts folder (see src/sending/drafts.ts). */
export function draftRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/grants/:grantId/drafts", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const q = new URL(request.url).searchParams;
      const page = messagePage(deps.store, grant.id, q, FOLDER.drafts);
      const select = selectFields(q);
      const items = page.items.map(presentMessage);
      return cursorList(request, select ? items.map(select) : items, page.next);
    })
    .get("/v3/grants/:grantId/drafts/:draftId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      const view = await requireDraft(deps, grant, pathParam(params.draftId, "draft id"));
      const select = selectFields(new URL(request.url).searchParams);
      const item = presentMessage(view);
      return single(request, select ? select(item) : item);
    })
    .post(
      "/v3/grants/:grantId/drafts",
      async ({ request, params }) => {
        const grant = await requireGrant(deps, request, params.grantId);
        const body = await readComposeBody(request, JSON_PARTS);
        const req = parseSendRequest(body, DRAFT_OPTIONS);
        return present(request, await createDraft(deps, grant, req));
      },
      { parse: "none" },
    )
    .put(
      "/v3/grants/:grantId/drafts/:draftId",
      async ({ request, params }) => {
        const grant = await requireGrant(deps, request, params.grantId);
        const id = pathParam(params.draftId, "draft id");
        const body = await readComposeBody(request, JSON_PARTS);
        const given = parseSendRequest(body, DRAFT_OPTIONS);
        const change = { given, keys: Object.keys(body.json), hasFiles: body.files.length > 0 };
        return present(request, await updateDraft(deps, grant, id, change));
      },
      { parse: "none" },
    )
    .delete("/v3/grants/:grantId/drafts/:draftId", async ({ request, params }) => {
      const grant = await requireGrant(deps, request, params.grantId);
      await deleteDraft(deps, grant, pathParam(params.draftId, "draft id"));
      return deleted(request);
    })
    .post(
      "/v3/grants/:grantId/drafts/:draftId",
      async ({ request, params }) => {
        const grant = await requireGrant(deps, request, params.grantId);
        // The SDK sends `{}`; the spec allows {signature_id}: appended to the body as it is sent.
        const { json } = await readComposeBody(request, JSON_PARTS);
        rejectUnknown(json, ["signature_id"]);
        const signatureId = optionalString(json, "signature_id", "signature_id", 256);
        const id = pathParam(params.draftId, "draft id");
        return present(request, await sendDraft(deps, grant, id, { ...(signatureId && { signatureId }) }));
      },
      { parse: "none" },
    );
}

function present(request: Request, view: MessageView): Response {
  return single(request, presentMessage(view));
}
