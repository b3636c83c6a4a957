import { Elysia } from "elysia";
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from "../../applications/api-keys.ts";
import {
  createApplication,
  findApplication,
  listApplications,
  updateApplicationSettings,
} from "../../applications/applications.ts";
import {
  createServiceAccount,
  findServiceAccount,
  listServiceAccounts,
  revokeServiceAccount,
  type ServiceAccountRow,
} from "../../applications/service-accounts.ts";
import { presentApiKey, presentApplication, presentApplicationObject } from "../../present/application.ts";
import { parseApplicationChanges } from "../application-body.ts";
import { type Caller, callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { forbidden, notFound } from "../errors.ts";
import { deleted, json, single } from "../http.ts";
import { type Json, optionalString, rejectUnknown, requiredString, requireObject } from "../validate.ts";

/**
 * agentbox's own administration (not part of Nylas): applications, their API keys and service
 * accounts. Any key manages its own application; only operator keys (the default application's)
 * create applications or act on another application.
 */
export function adminRoutes(deps: ApiDeps) {
  /** The application a request acts on: its own, or (operators only) `application_id`. */
  const targetApp = async (caller: Caller, requested: string | undefined | null): Promise<string> => {
    if (!requested || requested === caller.applicationId) return caller.applicationId;
    if (!caller.operator)
      throw forbidden("only an operator key (of the default application) can act on another application");
    if (!(await findApplication(deps.store, requested))) throw notFound(`application ${requested}`);
    return requested;
  };

  return new Elysia()
    .get("/v3/applications", async ({ request }) => {
      const app = await findApplication(deps.store, callerOf(request).applicationId);
      if (!app) throw notFound("application");
      return single(request, presentApplicationObject(app));
    })
    .patch("/v3/applications", async ({ request, body }) => {
      const changes = parseApplicationChanges(body);
      const app = await updateApplicationSettings(deps.store, callerOf(request).applicationId, changes);
      if (!app) throw notFound("application");
      return json(request, 200, { success: true, data: presentApplicationObject(app) });
    })
    .get("/v3/admin/applications", async ({ request }) => {
      const caller = callerOf(request);
      const apps = (await listApplications(deps.store)).filter(
        (a) => caller.operator || a.id === caller.applicationId,
      );
      return json(request, 200, { data: apps.map(presentApplication), next_cursor: null });
    })
    .post("/v3/admin/applications", async ({ request, body }) => {
      if (!callerOf(request).operator) throw forbidden("only an operator key can create applications");
      const input = requireObject(body);
      rejectUnknown(input, ["name"]);
      const app = await createApplication(deps.store, requiredString(input, "name", "name", 256));
      deps.log.info({ applicationId: app.id }, "application created");
      return single(request, presentApplication(app));
    })
    .get("/v3/admin/api-keys", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const appId = await targetApp(callerOf(request), q.get("application_id"));
      const keys = await listApiKeys(deps.store, appId);
      return json(request, 200, { data: keys.map(presentApiKey), next_cursor: null });
    })
    .post("/v3/admin/api-keys", async ({ request, body }) => {
      const input: Json = body === undefined || body === "" ? {} : requireObject(body);
      rejectUnknown(input, ["name", "application_id"]);
      const appId = await targetApp(
        callerOf(request),
        optionalString(input, "application_id", "application_id", 64),
      );
      const name = optionalString(input, "name", "name", 256) ?? "api key";
      const { row, key } = await createApiKey(deps.store, appId, name);
      deps.log.info({ keyId: row.id, applicationId: appId }, "api key created");
      return single(request, { ...presentApiKey(row), api_key: key });
    })
    .delete("/v3/admin/api-keys/:id", async ({ request, params }) => {
      const key = await findApiKey(deps.store, params.id);
      if (!key || !mayManage(callerOf(request), key.applicationId)) throw notFound(`api key ${params.id}`);
      await revokeApiKey(deps.store, key.id);
      deps.log.info({ keyId: key.id }, "api key revoked");
      return deleted(request);
    })
    .get("/v3/admin/service-accounts", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const appId = await targetApp(callerOf(request), q.get("application_id"));
      const rows = await listServiceAccounts(deps.store, appId);
      return json(request, 200, { data: rows.map(presentServiceAccount), next_cursor: null });
    })
    .post("/v3/admin/service-accounts", async ({ request, body }) => {
      const input: Json = body === undefined || body === "" ? {} : requireObject(body);
      rejectUnknown(input, ["application_id"]);
      const appId = await targetApp(
        callerOf(request),
        optionalString(input, "application_id", "application_id", 64),
      );
      const { row, credentials } = await createServiceAccount(deps.store, appId);
      deps.log.info({ serviceAccountId: row.id, applicationId: appId }, "service account created");
      return single(request, { ...presentServiceAccount(row), credentials });
    })
    .delete("/v3/admin/service-accounts/:id", async ({ request, params }) => {
      const account = await findServiceAccount(deps.store, params.id);
      if (!account || !mayManage(callerOf(request), account.applicationId)) {
        throw notFound(`service account ${params.id}`);
      }
      await revokeServiceAccount(deps.store, params.id);
      return deleted(request);
    });
}

function mayManage(caller: Caller, applicationId: string): boolean {
  return caller.operator || caller.applicationId === applicationId;
}

function presentServiceAccount(r: ServiceAccountRow) {
  return {
    id: r.id,
    application_id: r.applicationId,
    status: r.revokedAt ? "revoked" : "active",
    created_at: r.createdAt,
    revoked_at: r.revokedAt,
  };
}
