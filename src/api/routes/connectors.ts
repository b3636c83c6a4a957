import { Elysia } from "elysia";
import {
  ConnectorExistsError,
  type ConnectorRow,
  createConnector,
  deleteConnector,
  findConnector,
  listConnectors,
} from "../../accounts/connectors.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { requireOwnPolicy } from "../guardrail-refs.ts";
import { deleted, json, single } from "../http.ts";
import { optionalString, queryInt, rejectUnknown, requiredString, requireObject } from "../validate.ts";

function presentConnector(c: ConnectorRow) {
  return {
    name: c.name,
    provider: c.provider,
    settings: JSON.parse(c.settingsJson),
    scope: JSON.parse(c.scopeJson),
    created_at: c.createdAt,
  };
}

/** GET/POST /v3/connectors: the Nylas CLI lists them and creates a "nylas" one before creating accounts. */
export function connectorRoutes(deps: ApiDeps) {
  return new Elysia()
    .get("/v3/connectors", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const limit = queryInt(q, "limit", 10, 1, 200);
      const offset = queryInt(q, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
      const rows = await listConnectors(deps.store, callerOf(request).applicationId);
      return json(request, 200, {
        data: rows.slice(offset, offset + limit).map(presentConnector),
        limit,
        offset,
      });
    })
    .post("/v3/connectors", async ({ request, body }) => {
      const input = requireObject(body);
      rejectUnknown(input, ["name", "provider", "settings", "scope", "active_credential_id"]);
      const provider = requiredString(input, "provider", "provider", 64);
      if (provider !== "nylas") {
        throw badRequest(
          `provider "${provider}" is not supported: this server hosts agent accounts (provider "nylas")`,
        );
      }
      const name = optionalString(input, "name", "name", 256) ?? provider;
      const settings = input.settings === undefined ? {} : requireObject(input.settings, "settings");
      // The policy new accounts inherit must be the application's own.
      const policyId = optionalString(settings, "policy_id", "settings.policy_id", 128) ?? null;
      requireOwnPolicy(deps.store, callerOf(request).applicationId, policyId, "settings.policy_id");
      try {
        const row = await createConnector(
          deps.store,
          callerOf(request).applicationId,
          provider,
          name,
          settings,
        );
        return single(request, presentConnector(row));
      } catch (err) {
        if (err instanceof ConnectorExistsError) throw conflict(err.message);
        throw err;
      }
    })
    .get("/v3/connectors/:provider", async ({ request, params }) => {
      const row = await findConnector(deps.store, callerOf(request).applicationId, params.provider);
      if (!row) throw notFound(`connector ${params.provider}`);
      return single(request, presentConnector(row));
    })
    .delete("/v3/connectors/:provider", async ({ request, params }) => {
      const applicationId = callerOf(request).applicationId;
      if (!(await findConnector(deps.store, applicationId, params.provider))) {
        throw notFound(`connector ${params.provider}`);
      }
      await deleteConnector(deps.store, applicationId, params.provider);
      return deleted(request);
    });
}
