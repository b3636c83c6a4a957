import { Elysia } from "elysia";
import { hashAppPassword } from "../../accounts/app-password.ts";
import { findGrant, listGrants } from "../../accounts/grants.ts";
import { deleteGrant, updateGrant } from "../../accounts/provision.ts";
import { accountUsage } from "../../accounts/usage.ts";
import { ensureDefaultWorkspace } from "../../guardrails/workspaces.ts";
import { presentGrant } from "../../present/grant.ts";
import { presentUsage } from "../../present/usage.ts";
import type { GrantRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { deleted, json, single } from "../http.ts";
import { optionalString, pathParam, queryEnum, queryInt, rejectUnknown, requireObject } from "../validate.ts";
import { checkGovernance, parseAccountSettings, storedSettings } from "./connect.ts";

export function grantRoutes(deps: ApiDeps) {
  const load = async (request: Request, param: string | null | undefined): Promise<GrantRow> => {
    const id = pathParam(param, "grant id");
    const grant = await findGrant(deps.store, callerOf(request).applicationId, id);
    if (!grant) throw notFound(`grant ${id}`);
    return grant;
  };

  return new Elysia()
    .get("/v3/grants", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const limit = queryInt(q, "limit", 10, 1, 200);
      const offset = queryInt(q, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
      const rows = await listGrants(deps.store, callerOf(request).applicationId, {
        limit,
        offset,
        sortBy: queryEnum(q, "sort_by", ["created_at", "updated_at"], "created_at"),
        orderBy: queryEnum(q, "order_by", ["asc", "desc"], "desc"),
        since: optionalQueryInt(q, "since"),
        before: optionalQueryInt(q, "before"),
        email: q.get("email") ?? undefined,
        grantStatus: q.get("grant_status") ?? undefined,
        provider: q.get("provider") ?? undefined,
        workspaceId: q.get("workspace_id") ?? undefined,
      });
      return json(request, 200, { data: rows.map(presentGrant), limit, offset });
    })
    .get("/v3/grants/:grantId", async ({ request, params }) =>
      single(request, presentGrant(await load(request, params.grantId))),
    )
    .get("/v3/grants/:grantId/usage", async ({ request, params }) => {
      const grant = await load(request, params.grantId);
      return single(request, presentUsage(grant.id, accountUsage(deps.store, deps.guardrails, grant)));
    })
    .patch("/v3/grants/:grantId", async ({ request, params, body }) => {
      const grant = await load(request, params.grantId);
      const input = requireObject(body);
      rejectUnknown(input, ["settings", "name", "workspace_id", "scope", "state"]);
      // settings is replaced wholesale; its email may be omitted (it cannot change anyway).
      const settings =
        input.settings === undefined
          ? undefined
          : parseAccountSettings(withEmail(input.settings, grant.email));
      if (settings && settings.email !== grant.email) {
        throw badRequest(
          `settings.email cannot be changed (this grant is ${grant.email}); create a new account instead`,
        );
      }
      const workspaceId =
        input.workspace_id === undefined
          ? undefined
          : (optionalString(input, "workspace_id", "workspace_id", 64) ??
            (await ensureDefaultWorkspace(deps.store, grant.applicationId)).id);
      checkGovernance(deps, grant.applicationId, { ...(settings && { settings }), workspaceId });
      const hash = settings?.appPassword ? await hashAppPassword(settings.appPassword) : undefined;
      const updated = await updateGrant(deps.store, grant, {
        ...(settings && { settings: storedSettings(settings) }),
        ...(input.name !== undefined && { name: optionalString(input, "name", "name", 256) ?? null }),
        ...(workspaceId !== undefined && { workspaceId }),
        ...(hash && { appPasswordHash: hash }),
      });
      if (settings || workspaceId !== undefined) await deps.guardrails.changed(grant.applicationId);
      if (hash) {
        deps.signOuts.announce(grant.id);
        deps.log.info({ grantId: grant.id }, "app password rotated");
      }
      return single(request, presentGrant(updated));
    })
    .delete("/v3/grants/:grantId", async ({ request, params }) => {
      const grant = await load(request, params.grantId);
      // A connected grant's sync stops first, so nothing writes to it while it goes; the cascade
      // removes its credentials with it.
      await deps.connectedSync.stop(grant.id);
      await deps.mailboxes.remove(grant.id);
      await deleteGrant(deps.store, grant);
      deps.signOuts.announce(grant.id);
      deps.log.info({ grantId: grant.id, email: grant.email }, "account deleted");
      return deleted(request);
    });
}

function withEmail(settings: unknown, email: string): unknown {
  if (settings && typeof settings === "object" && !Array.isArray(settings) && !("email" in settings)) {
    return { ...settings, email };
  }
  return settings;
}

function optionalQueryInt(q: URLSearchParams, key: string): number | undefined {
  return q.get(key) ? queryInt(q, key, 0, 0, Number.MAX_SAFE_INTEGER) : undefined;
}
