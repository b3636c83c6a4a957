import { createHash } from "node:crypto";
import { Elysia } from "elysia";
import { findDomainByAddress, isVerified } from "../../domains/domains.ts";
import { requestFingerprint } from "../../mail/compose/recipients.ts";
import { parseSendRequest, type SendRequest } from "../../mail/compose/request.ts";
import { MAX_RECIPIENTS } from "../../sending/limits.ts";
import { sendTransactional } from "../../sending/transactional.ts";
import { callerOf } from "../auth.ts";
import { readComposeBody } from "../compose-body.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { idempotencyKeyOf, runIdempotent } from "../idempotent.ts";
import { type Json, optionalString, pathParam, requiredString, requireObject } from "../validate.ts";

/** Nylas's transactional send body: a grant's send without what needs a mailbox. */
const FIELDS = [
  "to",
  "cc",
  "bcc",
  "reply_to",
  "from",
  "subject",
  "body",
  "is_plaintext",
  "attachments",
  "custom_headers",
  "template",
  "tracking_options",
];
/** What Nylas's body allows and this server refuses, each with its reason. */
const REFUSED: Record<string, string> = {
  reply_to_message_id: "there is no mailbox to find the message in: reply from a grant",
  send_at: "transactional sends go at once here: schedule through a grant's send",
  metadata: "no message is stored to keep metadata on",
};

/**
 * POST /v3/domains/{domain_name}/messages/send: an application sends from one of its verified
 * domains (or the trial domain), `from` an address at that domain, with no account.
 * Idempotency-Key as on a grant's send, its keys kept per application.
 */
export function transactionalRoutes(deps: ApiDeps) {
  return new Elysia().post(
    "/v3/domains/:domainName/messages/send",
    async ({ request, params }) => {
      const applicationId = callerOf(request).applicationId;
      // The key is checked before the body is read.
      idempotencyKeyOf(request);
      const domain = await usableDomain(deps, applicationId, pathParam(params.domainName, "domain name"));
      const body = await readComposeBody(request, ["message"]);
      const from = senderOf(body.json, domain.domainAddress);
      const request_ = parseTransactional(body.json, body.files);
      // Per application: the same key from another domain of the application is the same key.
      const fingerprint = createHash("sha256")
        .update(`transactional\n${domain.domainAddress}\n${JSON.stringify(from)}\n`)
        .update(requestFingerprint(request_))
        .digest("hex");
      return runIdempotent(
        deps,
        request,
        { applicationId },
        {
          fingerprint,
          run: async () => {
            const sent = await sendTransactional(deps, { applicationId, domain, from, request: request_ });
            return { status: 200, body: { data: presentTransactional(sent.id, from, sent.request) } };
          },
        },
      );
    },
    { parse: "none" },
  );
}

async function usableDomain(deps: ApiDeps, applicationId: string, address: string) {
  const domain = await findDomainByAddress(deps.store, address);
  if (!domain || (domain.applicationId !== applicationId && !domain.isTrial))
    throw notFound(`domain ${address}`);
  if (!isVerified(domain, "ownership")) {
    throw badRequest(
      `domain ${address} is not verified yet (missing: ownership); publish its DNS records and call POST /v3/admin/domains/${domain.id}/verify`,
    );
  }
  return domain;
}

/** `from`: an object as the spec has it, or a list of one as the SDK sends it (SendMessageRequest). */
function senderOf(json: Json, domainAddress: string): { email: string; name?: string } {
  if (json.from === undefined) throw badRequest("from is required: {email, name?} at the domain");
  if (Array.isArray(json.from) && json.from.length !== 1)
    throw badRequest("from must name exactly one sender");
  const from = requireObject(Array.isArray(json.from) ? json.from[0] : json.from, "from");
  const email = requiredString(from, "email", "from.email", 254).trim().toLowerCase();
  if (email.slice(email.lastIndexOf("@") + 1) !== domainAddress) {
    throw badRequest(`from.email must be an address at ${domainAddress} (got ${email})`);
  }
  const name = optionalString(from, "name", "from.name", 256);
  return { email, ...(name !== undefined && { name }) };
}

function parseTransactional(json: Json, files: Parameters<typeof parseSendRequest>[0]["files"]): SendRequest {
  for (const [key, why] of Object.entries(REFUSED)) {
    if (json[key] !== undefined && json[key] !== null) throw badRequest(`${key}: ${why}`);
  }
  const unknown = Object.keys(json).filter((k) => !FIELDS.includes(k) && !(k in REFUSED));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (allowed: ${FIELDS.join(", ")})`,
    );
  }
  const { from: _from, ...rest } = json;
  return parseSendRequest({ json: rest, files }, { forDraft: false, maxRecipients: MAX_RECIPIENTS });
}

/** Nylas's transactional_send_message: what was sent, under the id its delivery events carry. */
function presentTransactional(id: string, from: { email: string; name?: string }, req: SendRequest) {
  return {
    object: "message",
    id,
    from: [from],
    to: req.to,
    cc: req.cc,
    bcc: req.bcc,
    reply_to: req.replyTo,
    subject: req.subject,
    body: req.body,
    attachments: req.attachments.map((a) => ({
      filename: a.filename,
      content_type: a.contentType,
      size: a.content.byteLength,
      ...(a.contentId && { content_id: a.contentId }),
      content_disposition: a.disposition,
      is_inline: a.disposition === "inline",
    })),
  };
}
