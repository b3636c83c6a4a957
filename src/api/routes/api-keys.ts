import { Elysia } from "elysia";
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from "../../applications/api-keys.ts";
import { findApplication } from "../../applications/applications.ts";
import { nowSeconds } from "../../ids.ts";
import { presentNylasApiKey } from "../../present/application.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { deleted, json, single } from "../http.ts";
import { type Json, optionalString, pathParam, rejectUnknown, requireObject } from "../validate.ts";

const DAY_S = 86_400;
/** Nylas's `expires_in` is in days; ten years is as far as this server lets a key live. */
const MAX_EXPIRES_IN_DAYS = 3650;

/**
 * API keys at Nylas's path: /v3/admin/applications/{application_id}/api-keys[/{api_key_id}]
 * (a Bearer key, or a service-account signature as Nylas documents). An application's keys are
 * managed by its own keys, and by operator keys; another application is a 404.
 * /v3/admin/api-keys (admin.ts) stays as agentbox's older path.
 */
export function apiKeyRoutes(deps: ApiDeps) {
  const application = async (request: Request, raw: string | undefined): Promise<string> => {
    const id = pathParam(raw, "application id");
    const caller = callerOf(request);
    if ((caller.applicationId !== id && !caller.operator) || !(await findApplication(deps.store, id))) {
      throw notFound(`application ${id}`);
    }
    return id;
  };
  const key = async (applicationId: string, raw: string | undefined) => {
    const id = pathParam(raw, "api key id");
    const row = await findApiKey(deps.store, id);
    if (!row || row.applicationId !== applicationId) throw notFound(`api key ${id}`);
    return row;
  };

  return new Elysia()
    .post("/v3/admin/applications/:applicationId/api-keys", async ({ request, params, body }) => {
      const applicationId = await application(request, params.applicationId);
      const input: Json = body === undefined || body === "" ? {} : requireObject(body);
      rejectUnknown(input, ["name", "expires_in"]);
      const name = optionalString(input, "name", "name", 256) ?? "api key";
      const now = nowSeconds();
      const days = expiresIn(input.expires_in);
      const { row, key: plain } = await createApiKey(
        deps.store,
        applicationId,
        name,
        undefined,
        false,
        days === null ? null : now + days * DAY_S,
      );
      deps.log.info({ keyId: row.id, applicationId }, "api key created");
      return single(request, presentNylasApiKey(row, now, plain));
    })
    .get("/v3/admin/applications/:applicationId/api-keys", async ({ request, params }) => {
      const applicationId = await application(request, params.applicationId);
      const now = nowSeconds();
      const rows = await listApiKeys(deps.store, applicationId);
      return json(request, 200, { data: rows.map((r) => presentNylasApiKey(r, now)) });
    })
    .get("/v3/admin/applications/:applicationId/api-keys/:apiKeyId", async ({ request, params }) => {
      const row = await key(await application(request, params.applicationId), params.apiKeyId);
      return single(request, presentNylasApiKey(row, nowSeconds()));
    })
    .delete("/v3/admin/applications/:applicationId/api-keys/:apiKeyId", async ({ request, params }) => {
      const row = await key(await application(request, params.applicationId), params.apiKeyId);
      await revokeApiKey(deps.store, row.id);
      deps.log.info({ keyId: row.id }, "api key revoked");
      return deleted(request);
    });
}

/** `expires_in`: whole days, 1 to ten years; absent or null: the key does not expire. */
function expiresIn(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_EXPIRES_IN_DAYS) {
    throw badRequest(`expires_in must be a whole number of days from 1 to ${MAX_EXPIRES_IN_DAYS}`);
  }
  return value;
}
