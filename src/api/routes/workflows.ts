import { Elysia } from "elysia";
import { presentWorkflow } from "../../present/template.ts";
import type { Scope } from "../../templates/scope.ts";
import { findTemplate } from "../../templates/templates.ts";
import {
  createWorkflow,
  deleteWorkflow,
  findWorkflow,
  listWorkflows,
  updateWorkflow,
  WORKFLOW_TRIGGERS,
  type WorkflowFields,
} from "../../templates/workflows.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { deleted, json, single } from "../http.ts";
import { nextCursorOf, pageParams } from "../page.ts";
import { applicationScope, grantScope } from "../template-scope.ts";
import {
  type Json,
  optionalBoolean,
  optionalString,
  pathParam,
  rejectUnknown,
  requiredString,
  requireObject,
} from "../validate.ts";

const FIELDS = ["name", "template_id", "trigger_event", "delay", "is_enabled", "from"];
/** A week, in minutes: as far as a workflow may wait after its event. */
const MAX_DELAY_MINUTES = 7 * 24 * 60;

/**
 * Workflows at the application level (/v3/workflows) and a grant's (/v3/grants/{id}/workflows).
 * A workflow's template is one of the same scope (a grant's may also use its application's).
 */
export function workflowRoutes(deps: ApiDeps) {
  const load = (scope: Scope, raw: string | undefined) => {
    const id = pathParam(raw, "workflow id");
    const row = findWorkflow(deps.store, scope, id);
    if (!row) throw notFound(`workflow ${id}`);
    return row;
  };
  const requireTemplate = (scope: Scope, id: string) => {
    const found =
      findTemplate(deps.store, scope, id) ??
      (scope.grantId !== null ? findTemplate(deps.store, { ...scope, grantId: null }, id) : null);
    if (!found) throw notFound(`template ${id}`);
  };

  const list = (request: Request, scope: Scope) => {
    const { limit, after } = pageParams(new URL(request.url).searchParams);
    const page = listWorkflows(deps.store, scope, limit, after);
    // As for templates: next_cursor is a required string, "" on the last page.
    return json(request, 200, {
      data: page.rows.map(presentWorkflow),
      next_cursor: nextCursorOf(page) ?? "",
    });
  };
  const create = async (request: Request, scope: Scope, body: unknown) => {
    const fields = workflowFields(body, true) as WorkflowFields;
    requireTemplate(scope, fields.templateId);
    return single(request, presentWorkflow(await createWorkflow(deps.store, scope, fields)));
  };
  const update = async (request: Request, scope: Scope, raw: string | undefined, body: unknown) => {
    const id = load(scope, raw).id;
    const fields = workflowFields(body, false);
    if (fields.templateId !== undefined) requireTemplate(scope, fields.templateId);
    const row = await updateWorkflow(deps.store, scope, id, fields);
    if (!row) throw notFound(`workflow ${id}`);
    return single(request, presentWorkflow(row));
  };
  const remove = async (request: Request, scope: Scope, raw: string | undefined) => {
    const id = pathParam(raw, "workflow id");
    if (!(await deleteWorkflow(deps.store, scope, id))) throw notFound(`workflow ${id}`);
    return deleted(request);
  };

  return new Elysia()
    .get("/v3/workflows", ({ request }) => list(request, applicationScope(request)))
    .post("/v3/workflows", ({ request, body }) => create(request, applicationScope(request), body))
    .get("/v3/workflows/:workflowId", ({ request, params }) =>
      single(request, presentWorkflow(load(applicationScope(request), params.workflowId))),
    )
    .put("/v3/workflows/:workflowId", ({ request, params, body }) =>
      update(request, applicationScope(request), params.workflowId, body),
    )
    .delete("/v3/workflows/:workflowId", ({ request, params }) =>
      remove(request, applicationScope(request), params.workflowId),
    )
    .get("/v3/grants/:grantId/workflows", async ({ request, params }) =>
      list(request, await grantScope(deps, request, params.grantId)),
    )
    .post("/v3/grants/:grantId/workflows", async ({ request, params, body }) =>
      create(request, await grantScope(deps, request, params.grantId), body),
    )
    .get("/v3/grants/:grantId/workflows/:workflowId", async ({ request, params }) =>
      single(
        request,
        presentWorkflow(load(await grantScope(deps, request, params.grantId), params.workflowId)),
      ),
    )
    .put("/v3/grants/:grantId/workflows/:workflowId", async ({ request, params, body }) =>
      update(request, await grantScope(deps, request, params.grantId), params.workflowId, body),
    )
    .delete("/v3/grants/:grantId/workflows/:workflowId", async ({ request, params }) =>
      remove(request, await grantScope(deps, request, params.grantId), params.workflowId),
    );
}

/** The fields of a create (all required ones) or an update (only those given). */
function workflowFields(body: unknown, creating: boolean): Partial<WorkflowFields> {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  const out: Partial<WorkflowFields> = {};
  if (creating || input.name !== undefined) out.name = requiredString(input, "name", "name", 256);
  if (creating || input.template_id !== undefined) {
    out.templateId = requiredString(input, "template_id", "template_id", 256);
  }
  if (creating || input.trigger_event !== undefined) {
    const trigger = requiredString(input, "trigger_event", "trigger_event", 64);
    if (!(WORKFLOW_TRIGGERS as readonly string[]).includes(trigger)) {
      throw badRequest(`trigger_event must be one of: ${WORKFLOW_TRIGGERS.join(", ")}`);
    }
    out.triggerEvent = trigger;
  }
  if (input.delay !== undefined) out.delay = delayOf(input.delay);
  else if (creating) out.delay = 0;
  const enabled = optionalBoolean(input, "is_enabled", "is_enabled");
  if (enabled !== undefined) out.isEnabled = enabled;
  else if (creating) out.isEnabled = true;
  if (input.from !== undefined) out.from = fromOf(input.from);
  else if (creating) out.from = null;
  return out;
}

function delayOf(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MINUTES) {
    throw badRequest(`delay must be a whole number of minutes from 0 to ${MAX_DELAY_MINUTES}`);
  }
  return value;
}

function fromOf(value: unknown): WorkflowFields["from"] {
  if (value === null) return null;
  const from: Json = requireObject(value, "from");
  rejectUnknown(from, ["email", "name"], "from.");
  const email = requiredString(from, "email", "from.email", 254);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw badRequest(`from.email "${email}" is not an email address`);
  const name = optionalString(from, "name", "from.name", 256);
  return { email, ...(name !== undefined && { name }) };
}
