import { Elysia } from "elysia";
import {
  createRule,
  deleteRule,
  findRule,
  listRules,
  ruleFields,
  updateRule,
} from "../../guardrails/rules.ts";
import { presentRule } from "../../present/rule.ts";
import type { RuleRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { nextCursor, pageQuery, requireOwnLists } from "../guardrail-refs.ts";
import { cursorList, deleted, single } from "../http.ts";
import { parseRuleCreate, parseRuleUpdate } from "../rule-body.ts";
import { pathParam } from "../validate.ts";

/** /v3/rules (reference §7.4): POST answers 201. A change takes effect at the next evaluation. */
export function ruleRoutes(deps: ApiDeps) {
  const load = (request: Request, param: string | undefined): RuleRow => {
    const id = pathParam(param, "rule id");
    const row = findRule(deps.store, callerOf(request).applicationId, id);
    if (!row) throw notFound(`rule ${id}`);
    return row;
  };
  const changed = (applicationId: string) => deps.guardrails.changed(applicationId);

  return new Elysia()
    .get("/v3/rules", ({ request }) => {
      const page = listRules(deps.store, callerOf(request).applicationId, pageQuery(request));
      return cursorList(request, page.rows.map(presentRule), nextCursor(page.nextAfter));
    })
    .post("/v3/rules", async ({ request, body }) => {
      const { applicationId } = callerOf(request);
      const fields = parseRuleCreate(body);
      requireOwnLists(deps.store, applicationId, fields.match);
      const row = await createRule(deps.store, applicationId, fields);
      await changed(applicationId);
      return single(request, presentRule(row), 201);
    })
    .get("/v3/rules/:id", ({ request, params }) => single(request, presentRule(load(request, params.id))))
    .put("/v3/rules/:id", async ({ request, params, body }) => {
      const row = load(request, params.id);
      const fields = parseRuleUpdate(body, ruleFields(row));
      requireOwnLists(deps.store, row.applicationId, fields.match);
      const updated = await updateRule(deps.store, row, fields);
      await changed(row.applicationId);
      return single(request, presentRule(updated));
    })
    .delete("/v3/rules/:id", async ({ request, params }) => {
      const row = load(request, params.id);
      await deleteRule(deps.store, row);
      await changed(row.applicationId);
      return deleted(request);
    });
}
