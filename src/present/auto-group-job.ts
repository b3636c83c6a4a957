import type { AutoGroupJobRow } from "../store/schema.ts";

/**
 * agentbox's own view of a workspaces auto-group job (Nylas answers the POST with a job id and
 * publishes no way to follow it): the counts once it completed, the error once it failed.
 */
export function presentAutoGroupJob(job: AutoGroupJobRow) {
  return {
    job_id: job.id,
    application_id: job.applicationId,
    status: job.status,
    ...(job.grantsMatched !== null && { grants_matched: job.grantsMatched }),
    ...(job.grantsMoved !== null && { grants_moved: job.grantsMoved }),
    ...(job.error !== null && { error: job.error }),
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  };
}
