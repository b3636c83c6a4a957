import { Elysia } from "elysia";
import {
  countGrantsOnDomain,
  createDomain,
  DomainExistsError,
  deleteDomain,
  dnsContext,
  findOwnDomain,
  isVerified,
  listDomains,
  markVerified,
  renameDomain,
  VERIFICATION_TYPES,
} from "../../domains/domains.ts";
import { expectedRecord, type VerificationType } from "../../domains/records.ts";
import { verifyRecord } from "../../domains/verify.ts";
import { nowSeconds } from "../../ids.ts";
import { presentDomain } from "../../present/domain.ts";
import type { DomainRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { deleted, json, single } from "../http.ts";
import { type Json, pathParam, queryInt, rejectUnknown, requiredString, requireObject } from "../validate.ts";

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
/** How long an `info` instruction stays valid, as Nylas reports it. */
const ATTEMPT_TTL_S = 2 * 24 * 3600;

/** /v3/admin/domains: Bearer key or a service-account signature (the SDK's way). */
export function domainRoutes(deps: ApiDeps) {
  const load = async (request: Request, param: string | null | undefined): Promise<DomainRow> => {
    const id = pathParam(param, "domain id");
    const row = await findOwnDomain(deps.store, callerOf(request).applicationId, id);
    if (!row) throw notFound(`domain ${id}`);
    return row;
  };

  return new Elysia()
    .get("/v3/admin/domains", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const limit = queryInt(q, "limit", 50, 1, 200);
      // The cursor holds the position itself, so it survives the deletion of the row it names.
      const cursor = decodeCursor(q.get("page_token"), { seq: "number" });
      const rows = await listDomains(
        deps.store,
        callerOf(request).applicationId,
        limit + 1,
        cursor?.seq ?? 0,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const next = rows.length > limit && last ? encodeCursor({ seq: last.seq }) : null;
      // Nylas's domain list types next_cursor as a string: the last page has none.
      return json(request, 200, {
        data: page.map((r) => presentDomain(r.domain)),
        ...(next !== null && { next_cursor: next }),
      });
    })
    .post("/v3/admin/domains", async ({ request, body }) => {
      const input = requireObject(body);
      rejectUnknown(input, ["name", "domain_address"]);
      const name = requiredString(input, "name", "name", 256);
      const address = requiredString(input, "domain_address", "domain_address", 253).trim().toLowerCase();
      if (!HOSTNAME.test(address)) throw badRequest(`domain_address "${address}" is not a valid domain name`);
      try {
        const row = await createDomain(deps.store, {
          applicationId: callerOf(request).applicationId,
          name,
          domainAddress: address,
        });
        deps.log.info({ domainId: row.id, domain: address }, "domain registered");
        return single(request, presentDomain(row));
      } catch (err) {
        if (err instanceof DomainExistsError) throw conflict(err.message);
        throw err;
      }
    })
    .get("/v3/admin/domains/:id", async ({ request, params }) =>
      single(request, presentDomain(await load(request, params.id))),
    )
    .put("/v3/admin/domains/:id", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const input = requireObject(body);
      rejectUnknown(input, ["name"]);
      const name = requiredString(input, "name", "name", 256);
      await renameDomain(deps.store, row.id, name);
      return single(request, presentDomain({ ...row, name, updatedAt: nowSeconds() }));
    })
    .delete("/v3/admin/domains/:id", async ({ request, params }) => {
      const row = await load(request, params.id);
      if (row.isTrial) throw badRequest(`${row.domainAddress} is the trial domain and cannot be deleted`);
      const accounts = await countGrantsOnDomain(deps.store, row.id);
      if (accounts > 0) {
        throw conflict(
          `${row.domainAddress} still has ${accounts} account(s); delete them before the domain`,
        );
      }
      await deleteDomain(deps.store, row.id);
      return deleted(request);
    })
    .post("/v3/admin/domains/:id/info", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const kind = parseType(body);
      const record = expectedRecord(kind, dnsContext(row, deps.config.hostname));
      const done = isVerified(row, kind);
      const message = done
        ? `${kind} is verified`
        : `Publish a ${record.type} record at ${record.host} with value ${record.value}${record.priority === undefined ? "" : ` (priority ${record.priority})`}, then call verify`;
      return single(request, verificationResult(row, kind, record, done ? "done" : "pending", message));
    })
    .post("/v3/admin/domains/:id/verify", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const kind = parseType(body);
      const ctx = dnsContext(row, deps.config.hostname);
      const record = expectedRecord(kind, ctx);
      if (row.isTrial)
        return single(
          request,
          verificationResult(row, kind, record, "done", "the trial domain needs no DNS"),
        );
      const outcome = await verifyRecord(kind, ctx, deps.resolver);
      await markVerified(deps.store, row.id, kind, outcome.ok);
      deps.log.info({ domainId: row.id, kind, ok: outcome.ok }, "domain verification");
      return single(
        request,
        verificationResult(row, kind, record, outcome.ok ? "done" : "failed", outcome.message),
      );
    });
}

function parseType(body: unknown): VerificationType {
  const input: Json = requireObject(body);
  rejectUnknown(input, ["type", "options"]);
  const kind = requiredString(input, "type", "type", 32);
  if (!VERIFICATION_TYPES.includes(kind as VerificationType)) {
    throw badRequest(`type must be one of: ${VERIFICATION_TYPES.join(", ")}`);
  }
  return kind as VerificationType;
}

function verificationResult(
  row: DomainRow,
  kind: VerificationType,
  record: ReturnType<typeof expectedRecord>,
  status: "pending" | "done" | "failed",
  message: string,
) {
  const now = nowSeconds();
  return {
    domain_id: row.id,
    status,
    attempt: { type: kind, options: record },
    created_at: now,
    expires_at: now + ATTEMPT_TTL_S,
    message,
    details: {},
  };
}
