import { Elysia } from "elysia";
import { findGrant } from "../../accounts/grants.ts";
import { type DryRun, dryRun } from "../../guardrails/dry-run.ts";
import {
  allRules,
  createRule,
  deleteRule,
  findRule,
  listRules,
  ruleDefinition,
  ruleFields,
  updateRule,
} from "../../guardrails/rules.ts";
import { listFolders } from "../../mailbox/folders.ts";
import { presentRule } from "../../present/rule.ts";
import { presentDryRun } from "../../present/rule-evaluation.ts";
import { evaluationInput } from "../../rule-engine/address-parts.ts";
import { compileRuleSet } from "../../rule-engine/compile.ts";
import type { RuleRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError, badRequest, notFound } from "../errors.ts";
import { parseEvaluate } from "../evaluate-body.ts";
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
  /** The named rules of the caller's application, as enabled (a dry run of a rule not yet switched on). */
  const namedRules = (request: Request, ids: string[]) =>
    ids.map((id) => {
      const row = findRule(deps.store, callerOf(request).applicationId, id);
      if (!row) throw badRequest(`rule_ids entry ${id} not found or does not belong to this application`);
      return { ...ruleDefinition(row), enabled: true };
    });

  return new Elysia()
    .post("/v3/rules/evaluate", async ({ request, body }) => {
      const { applicationId } = callerOf(request);
      const req = parseEvaluate(body);
      const grant = req.grantId ? await findGrant(deps.store, applicationId, req.grantId) : null;
      if (req.grantId && !grant)
        throw badRequest(`grant_id ${req.grantId} not found or does not belong to this application`);
      const set = req.ruleIds
        ? compileRuleSet(req.trigger, namedRules(request, req.ruleIds))
        : grant
          ? deps.guardrails.forGrant(grant)[req.trigger]
          : compileRuleSet(req.trigger, allRules(deps.store, applicationId).map(ruleDefinition));
      const sender = req.from ?? (req.trigger === "outbound" ? grant?.email : undefined);
      const input = evaluationInput(
        sender,
        req.recipients,
        req.trigger === "outbound" ? (req.reply ? "reply" : "compose") : undefined,
      );
      const folders = grant ? new Map(listFolders(deps.store, grant.id).map((f) => [f.row.id, f.row])) : null;
      let result: DryRun;
      try {
        result = dryRun(deps.store, set, input, folders);
      } catch (err) {
        deps.log.error({ err }, "rule dry run failed");
        throw new ApiError(
          503,
          "the rules could not be evaluated (a surface would refuse the message for now); try again",
        );
      }
      return single(request, presentDryRun(result));
    })
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
