import { Elysia } from "elysia";
import {
  ConnectorExistsError,
  type ConnectorRow,
  createConnector,
  deleteConnector,
  findConnector,
  listConnectors,
  updateConnector,
} from "../../accounts/connectors.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { requireOwnPolicy } from "../guardrail-refs.ts";
import { deleted, json, single } from "../http.ts";
import { optionalString, queryInt, rejectUnknown, requiredString, requireObject } from "../validate.ts";

/** Agent accounts, and people's IMAP accounts connected through POST /v3/connect/custom. */
const CONNECTOR_PROVIDERS = ["nylas", "imap"];

/** Nylas's connector object: exactly these fields (its schema allows no others). */
function presentConnector(c: ConnectorRow) {
  return {
    name: c.name,
    provider: c.provider,
    settings: JSON.parse(c.settingsJson),
    scope: JSON.parse(c.scopeJson),
  };
}

/** GET/POST /v3/connectors: the Nylas CLI lists them and creates a "nylas" one before creating accounts. */
export function connectorRoutes(deps: ApiDeps) {
  const update = async (request: Request, provider: string, body: unknown) => {
    const applicationId = callerOf(request).applicationId;
    if (!(await findConnector(deps.store, applicationId, provider))) throw notFound(`connector ${provider}`);
    const input = requireObject(body);
    rejectUnknown(input, ["settings", "scope", "active_credential_id"]);
    if (input.active_credential_id !== undefined && input.active_credential_id !== null) {
      throw badRequest(
        "active_credential_id: this server keeps no connector credentials (agent accounts need none)",
      );
    }
    if (input.settings !== undefined) {
      const settings = requireObject(input.settings, "settings");
      const policyId = optionalString(settings, "policy_id", "settings.policy_id", 128) ?? null;
      requireOwnPolicy(deps.store, applicationId, policyId, "settings.policy_id");
    }
    const row = await updateConnector(deps.store, applicationId, provider, {
      ...(input.settings !== undefined && { settings: requireObject(input.settings, "settings") }),
      ...(input.scope !== undefined && { scope: stringList(input.scope, "scope") }),
    });
    if (!row) throw notFound(`connector ${provider}`);
    return single(request, presentConnector(row));
  };

  return (
    new Elysia()
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
        if (!CONNECTOR_PROVIDERS.includes(provider)) {
          throw badRequest(
            `provider "${provider}" is not supported: "nylas" (agent accounts hosted here) or "imap" (connected IMAP accounts)`,
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
          return single(request, presentConnector(row), 201);
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
      // Nylas's spec says PATCH; its Node SDK (connectors.update) sends PUT: both.
      .patch("/v3/connectors/:provider", ({ request, params, body }) =>
        update(request, params.provider, body),
      )
      .put("/v3/connectors/:provider", ({ request, params, body }) => update(request, params.provider, body))
      .delete("/v3/connectors/:provider", async ({ request, params }) => {
        const applicationId = callerOf(request).applicationId;
        if (!(await findConnector(deps.store, applicationId, params.provider))) {
          throw notFound(`connector ${params.provider}`);
        }
        await deleteConnector(deps.store, applicationId, params.provider);
        return deleted(request);
      })
  );
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badRequest(`${path} must be an array of strings`);
  }
  return value as string[];
}
