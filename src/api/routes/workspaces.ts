import { Elysia } from "elysia";
import { createAutoGroupJob, findAutoGroupJob, runAutoGroupJob } from "../../accounts/auto-group-jobs.ts";
import { manualAssign } from "../../accounts/workspace-placement.ts";
import {
  allWorkspaces,
  createWorkspace,
  deleteWorkspace,
  ensureDefaultWorkspace,
  findWorkspace,
  updateWorkspace,
  WorkspaceDomainTakenError,
} from "../../guardrails/workspaces.ts";
import { presentAutoGroupJob } from "../../present/auto-group-job.ts";
import { presentWorkspace } from "../../present/workspace.ts";
import type { WorkspaceRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { requireOwnPolicy, requireOwnRules } from "../guardrail-refs.ts";
import { deleted, json, single } from "../http.ts";
import { pathParam } from "../validate.ts";
import {
  parseAutoGroup,
  parseManualAssign,
  parseWorkspaceCreate,
  parseWorkspaceUpdate,
} from "../workspace-body.ts";

/**
 * /v3/workspaces (reference §7.2): the policy and rules a group of accounts runs under. The
 * default workspace is made the first time the application's workspaces are asked for.
 */
export function workspaceRoutes(deps: ApiDeps) {
  const load = async (request: Request, param: string | undefined): Promise<WorkspaceRow> => {
    const id = pathParam(param, "workspace id");
    const { applicationId } = callerOf(request);
    await ensureDefaultWorkspace(deps.store, applicationId);
    const row = findWorkspace(deps.store.read, applicationId, id);
    if (!row) throw notFound(`workspace ${id}`);
    return row;
  };
  const checkRefs = (applicationId: string, f: { policyId: string | null; ruleIds: string[] }) => {
    requireOwnPolicy(deps.store, applicationId, f.policyId, "policy_id");
    requireOwnRules(deps.store, applicationId, f.ruleIds, "rule_ids");
  };
  const changed = (applicationId: string) => deps.guardrails.changed(applicationId);

  return new Elysia()
    .get("/v3/workspaces", async ({ request }) => {
      const { applicationId } = callerOf(request);
      await ensureDefaultWorkspace(deps.store, applicationId);
      return json(request, 200, {
        data: allWorkspaces(deps.store.read, applicationId).map(presentWorkspace),
      });
    })
    .post("/v3/workspaces", async ({ request, body }) => {
      const { applicationId } = callerOf(request);
      const fields = parseWorkspaceCreate(body);
      checkRefs(applicationId, fields);
      try {
        const row = await createWorkspace(deps.store, applicationId, fields);
        await changed(applicationId);
        return single(request, presentWorkspace(row));
      } catch (err) {
        if (err instanceof WorkspaceDomainTakenError) throw badRequest(`${err.message} (${fields.domain})`);
        throw err;
      }
    })
    .post("/v3/workspaces/auto-group", async ({ request, body }) => {
      const { applicationId } = callerOf(request);
      const filter = parseAutoGroup(body);
      const job = await createAutoGroupJob(deps.store, applicationId, filter);
      const jobId = job.id;
      // A background job, as Nylas runs it: the answer does not wait for the accounts to move.
      void runAutoGroupJob(deps.store, job)
        .then(async (moved) => {
          if (moved > 0) await changed(applicationId);
          deps.log.info({ jobId, applicationId, moved }, "workspace auto-group done");
        })
        .catch((err) => deps.log.error({ err, jobId }, "workspace auto-group failed"));
      return single(request, {
        job_id: jobId,
        message: `Auto-grouping started successfully under JobID '${jobId}', please wait for the process to complete. It may take some time.`,
      });
    })
    .get("/v3/workspaces/auto-group/:job_id", ({ request, params }) => {
      const id = pathParam(params.job_id, "job id");
      const job = findAutoGroupJob(deps.store.read, callerOf(request).applicationId, id);
      if (!job) throw notFound(`auto-group job ${id}`);
      return single(request, presentAutoGroupJob(job));
    })
    .get("/v3/workspaces/:id", async ({ request, params }) =>
      single(request, presentWorkspace(await load(request, params.id))),
    )
    .patch("/v3/workspaces/:id", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const fields = parseWorkspaceUpdate(body, row);
      checkRefs(row.applicationId, fields);
      const updated = await updateWorkspace(deps.store, row, fields);
      await changed(row.applicationId);
      return single(request, presentWorkspace(updated));
    })
    .delete("/v3/workspaces/:id", async ({ request, params }) => {
      const row = await load(request, params.id);
      if (row.isDefault) throw badRequest("the application's default workspace cannot be deleted");
      await deleteWorkspace(deps.store, row);
      await changed(row.applicationId);
      return deleted(request);
    })
    .post("/v3/workspaces/:id/manual-assign", async ({ request, params, body }) => {
      const row = await load(request, params.id);
      const { assign, remove } = parseManualAssign(body);
      if (row.autoGroup) {
        throw badRequest("manual assignment needs a workspace with auto_group false: PATCH it first");
      }
      const result = await manualAssign(deps.store, row, assign, remove);
      await changed(row.applicationId);
      return single(request, {
        application_id: row.applicationId,
        workspace_id: row.id,
        domain: row.domain,
        grants_assigned: assign.length > 0 ? result.assigned : null,
        grants_removed: remove.length > 0 ? result.removed : null,
      });
    });
}
