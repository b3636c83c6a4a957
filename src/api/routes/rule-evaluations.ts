import { Elysia } from "elysia";
import { findGrant } from "../../accounts/grants.ts";
import { evaluationsPage } from "../../guardrails/evaluations.ts";
import { presentRuleEvaluation } from "../../present/rule-evaluation.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { nextCursor, pageQuery } from "../guardrail-refs.ts";
import { cursorList } from "../http.ts";
import { pathParam } from "../validate.ts";

/** GET /v3/grants/{grant_id}/rule-evaluations (reference §7.5): the grant's audit trail, newest first. */
export function ruleEvaluationRoutes(deps: ApiDeps) {
  return new Elysia().get("/v3/grants/:grantId/rule-evaluations", async ({ request, params }) => {
    const id = pathParam(params.grantId, "grant id");
    const grant = await findGrant(deps.store, callerOf(request).applicationId, id);
    if (!grant) throw notFound(`grant ${id}`);
    const page = evaluationsPage(deps.store, grant.id, pageQuery(request));
    return cursorList(request, page.rows.map(presentRuleEvaluation), nextCursor(page.nextAfter));
  });
}
