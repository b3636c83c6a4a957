import { Elysia } from "elysia";
import { presentTemplate } from "../../present/template.ts";
import { stringVariables } from "../../sending/content.ts";
import { ENGINES, type Engine, renderTemplate, TemplateError } from "../../templates/render.ts";
import type { Scope } from "../../templates/scope.ts";
import {
  createTemplate,
  deleteTemplate,
  findTemplate,
  listTemplates,
  type TemplateFields,
  updateTemplate,
} from "../../templates/templates.ts";
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

const FIELDS = ["name", "subject", "body", "engine"];
const MAX_TEMPLATE_CHARS = 512 * 1024;

/**
 * Templates, at the application level (/v3/templates) and a grant's (/v3/grants/{id}/templates),
 * and their render endpoints. A send names one with `template` (src/sending/content.ts).
 */
export function templateRoutes(deps: ApiDeps) {
  const load = (scope: Scope, raw: string | undefined) => {
    const id = pathParam(raw, "template id");
    const row = findTemplate(deps.store, scope, id);
    if (!row) throw notFound(`template ${id}`);
    return row;
  };

  const list = (request: Request, scope: Scope) => {
    const { limit, after } = pageParams(new URL(request.url).searchParams);
    const page = listTemplates(deps.store, scope, limit, after);
    // Nylas's template list requires next_cursor as a string: "" on the last page (falsy to every SDK).
    return json(request, 200, {
      data: page.rows.map(presentTemplate),
      next_cursor: nextCursorOf(page) ?? "",
    });
  };
  const create = async (request: Request, scope: Scope, body: unknown) =>
    single(
      request,
      presentTemplate(await saved(() => createTemplate(deps.store, scope, createFields(body)))),
    );
  const update = async (request: Request, scope: Scope, raw: string | undefined, body: unknown) => {
    const id = load(scope, raw).id;
    const row = await saved(() => updateTemplate(deps.store, scope, id, updateFields(body)));
    if (!row) throw notFound(`template ${id}`);
    return single(request, presentTemplate(row));
  };
  const remove = async (request: Request, scope: Scope, raw: string | undefined) => {
    const id = pathParam(raw, "template id");
    if (!(await deleteTemplate(deps.store, scope, id))) throw notFound(`template ${id}`);
    return deleted(request);
  };
  const renderStored = (request: Request, scope: Scope, raw: string | undefined, body: unknown) => {
    const template = load(scope, raw);
    const { variables, strict } = renderInput(body, []);
    const engine = template.engine as Engine;
    return single(request, {
      subject: rendered(() => renderTemplate(template.subject, engine, variables, strict, false)),
      body: rendered(() => renderTemplate(template.body, engine, variables, strict)),
    });
  };
  const renderGiven = (request: Request, body: unknown) => {
    const input = requireObject(body);
    const { variables, strict } = renderInput(input, ["body", "engine"]);
    const html = requiredString(input, "body", "body", MAX_TEMPLATE_CHARS);
    return single(request, {
      body: rendered(() => renderTemplate(html, engineOf(input, true), variables, strict)),
    });
  };

  return new Elysia()
    .get("/v3/templates", ({ request }) => list(request, applicationScope(request)))
    .post("/v3/templates", ({ request, body }) => create(request, applicationScope(request), body))
    .post("/v3/templates/render", ({ request, body }) => renderGiven(request, body))
    .get("/v3/templates/:templateId", ({ request, params }) =>
      single(request, presentTemplate(load(applicationScope(request), params.templateId))),
    )
    .put("/v3/templates/:templateId", ({ request, params, body }) =>
      update(request, applicationScope(request), params.templateId, body),
    )
    .delete("/v3/templates/:templateId", ({ request, params }) =>
      remove(request, applicationScope(request), params.templateId),
    )
    .post("/v3/templates/:templateId/render", ({ request, params, body }) =>
      renderStored(request, applicationScope(request), params.templateId, body),
    )
    .get("/v3/grants/:grantId/templates", async ({ request, params }) =>
      list(request, await grantScope(deps, request, params.grantId)),
    )
    .post("/v3/grants/:grantId/templates", async ({ request, params, body }) =>
      create(request, await grantScope(deps, request, params.grantId), body),
    )
    .post("/v3/grants/:grantId/templates/render", async ({ request, params, body }) => {
      await grantScope(deps, request, params.grantId);
      return renderGiven(request, body);
    })
    .get("/v3/grants/:grantId/templates/:templateId", async ({ request, params }) =>
      single(
        request,
        presentTemplate(load(await grantScope(deps, request, params.grantId), params.templateId)),
      ),
    )
    .put("/v3/grants/:grantId/templates/:templateId", async ({ request, params, body }) =>
      update(request, await grantScope(deps, request, params.grantId), params.templateId, body),
    )
    .delete("/v3/grants/:grantId/templates/:templateId", async ({ request, params }) =>
      remove(request, await grantScope(deps, request, params.grantId), params.templateId),
    )
    .post("/v3/grants/:grantId/templates/:templateId/render", async ({ request, params, body }) =>
      renderStored(request, await grantScope(deps, request, params.grantId), params.templateId, body),
    );
}

function createFields(body: unknown): TemplateFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  return {
    name: requiredString(input, "name", "name", 256),
    subject: requiredString(input, "subject", "subject", 998),
    body: requiredString(input, "body", "body", MAX_TEMPLATE_CHARS),
    engine: engineOf(input, false),
  };
}

function updateFields(body: unknown): Partial<TemplateFields> {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  const fields: Partial<TemplateFields> = {};
  if (input.name !== undefined) fields.name = requiredString(input, "name", "name", 256);
  if (input.subject !== undefined) fields.subject = requiredString(input, "subject", "subject", 998);
  if (input.body !== undefined) fields.body = requiredString(input, "body", "body", MAX_TEMPLATE_CHARS);
  if (input.engine !== undefined) fields.engine = engineOf(input, true);
  return fields;
}

/** `engine`: one of Nylas's four; mustache (Nylas's default) when absent and not required. */
function engineOf(input: Json, required: boolean): Engine {
  const engine = optionalString(input, "engine", "engine", 32);
  if (engine === undefined) {
    if (required) throw badRequest(`engine is required (one of: ${ENGINES.join(", ")})`);
    return "mustache";
  }
  if (!ENGINES.includes(engine as Engine)) throw badRequest(`engine must be one of: ${ENGINES.join(", ")}`);
  return engine as Engine;
}

function renderInput(body: unknown, more: string[]) {
  const input = requireObject(body);
  rejectUnknown(input, ["variables", "strict", ...more]);
  const variables = input.variables === undefined ? {} : requireObject(input.variables, "variables");
  return {
    variables: rendered(() => stringVariables(variables, "variables")),
    strict: optionalBoolean(input, "strict", "strict") ?? true,
  };
}

/** A template this server cannot render, or a strict render missing a variable: a 400 saying which. */
async function saved<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    if (err instanceof TemplateError) throw badRequest(`template: ${err.message}`);
    throw err;
  }
}

function rendered<T>(render: () => T): T {
  try {
    return render();
  } catch (err) {
    if (err instanceof TemplateError) throw badRequest(`template: ${err.message}`);
    throw err;
  }
}
