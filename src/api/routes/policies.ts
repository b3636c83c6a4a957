import { Elysia } from "elysia";
import {
  createPolicy,
  deletePolicy,
  findPolicy,
  listPolicies,
  policyFields,
  updatePolicy,
} from "../../guardrails/policies.ts";
import { presentPolicy } from "../../present/policy.ts";
import type { PolicyRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { nextCursor, pageQuery, requireOwnRules } from "../guardrail-refs.ts";
import { cursorList, deleted, single } from "../http.ts";
import { parsePolicyCreate, parsePolicyUpdate } from "../policy-body.ts";
import { pathParam } from "../validate.ts";

/** /v3/policies (reference §7.3): the caller's application's policies; POST answers 200, as Nylas does. */
export function policyRoutes(deps: ApiDeps) {
  const bounds = { maxMessageBytes: deps.config.limits.maxMessageBytes };
  const load = (request: Request, param: string | undefined): PolicyRow => {
    const id = pathParam(param, "policy id");
    const row = findPolicy(deps.store, callerOf(request).applicationId, id);
    if (!row) throw notFound(`policy ${id}`);
    return row;
  };
  const changed = (applicationId: string) => deps.guardrails.changed(applicationId);

  return new Elysia()
    .get("/v3/policies", ({ request }) => {
      const page = listPolicies(deps.store, callerOf(request).applicationId, pageQuery(request));
      return cursorList(request, page.rows.map(presentPolicy), nextCursor(page.nextAfter));
    })
    .post("/v3/policies", async ({ request, body }) => {
      const { applicationId } = callerOf(request);
      const fields = parsePolicyCreate(body, bounds);
      requireOwnRules(deps.store, applicationId, fields.ruleIds, "rules");
      const row = await createPolicy(deps.store, applicationId, fields);
      await changed(applicationId);
      return single(request, presentPolicy(row));
    })
    .get("/v3/policies/:id", ({ request, params }) =>
      single(request, presentPolicy(load(request, params.id))),
    )
    .put("/v3/policies/:id", async ({ request, params, body }) => {
      const row = load(request, params.id);
      const fields = parsePolicyUpdate(body, policyFields(row), bounds);
      requireOwnRules(deps.store, row.applicationId, fields.ruleIds, "rules");
      const updated = await updatePolicy(deps.store, row, fields);
      await changed(row.applicationId);
      return single(request, presentPolicy(updated));
    })
    .delete("/v3/policies/:id", async ({ request, params }) => {
      const row = load(request, params.id);
      await deletePolicy(deps.store, row);
      await changed(row.applicationId);
      return deleted(request);
    });
}
