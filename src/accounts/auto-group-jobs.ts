import { and, eq } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import type { Db } from "../store/db.ts";
import { type AutoGroupJobRow, autoGroupJobs } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type AutoGroupFilter, autoGroupGrants } from "./workspace-placement.ts";

/**
 * POST /v3/workspaces/auto-group as a job that can be asked about: its row is written before
 * the POST answers (so its id always resolves), then the job runs in the background and writes
 * its outcome. A job the process did not live to finish is marked failed at the next start.
 */
export async function createAutoGroupJob(
  store: Store,
  applicationId: string,
  filter: AutoGroupFilter,
): Promise<AutoGroupJobRow> {
  const now = nowSeconds();
  const row: AutoGroupJobRow = {
    id: newUuid(),
    applicationId,
    status: "running",
    filterJson: JSON.stringify(filter),
    grantsMatched: null,
    grantsMoved: null,
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit((tx) => {
    tx.insert(autoGroupJobs).values(row).run();
  });
  return row;
}

/** Runs the job and records how it ended; answers how many accounts moved (0 when it failed). */
export async function runAutoGroupJob(store: Store, job: AutoGroupJobRow): Promise<number> {
  const filter = JSON.parse(job.filterJson) as AutoGroupFilter;
  let outcome: Partial<AutoGroupJobRow>;
  try {
    const { matched, moved } = await autoGroupGrants(store, job.applicationId, filter);
    outcome = { status: "completed", grantsMatched: matched, grantsMoved: moved };
  } catch (err) {
    outcome = { status: "failed", error: (err as Error).message };
  }
  await store.writer.submit((tx) => {
    tx.update(autoGroupJobs)
      .set({ ...outcome, updatedAt: nowSeconds() })
      .where(eq(autoGroupJobs.id, job.id))
      .run();
  });
  return outcome.grantsMoved ?? 0;
}

export function findAutoGroupJob(db: Db, applicationId: string, id: string): AutoGroupJobRow | undefined {
  return db
    .select()
    .from(autoGroupJobs)
    .where(and(eq(autoGroupJobs.id, id), eq(autoGroupJobs.applicationId, applicationId)))
    .get();
}

/** At start: jobs a previous process left running will not finish; say so (start one again). */
export async function failInterruptedAutoGroupJobs(store: Store): Promise<void> {
  await store.writer.submit((tx) => {
    tx.update(autoGroupJobs)
      .set({
        status: "failed",
        error: "interrupted by a restart; start the job again",
        updatedAt: nowSeconds(),
      })
      .where(eq(autoGroupJobs.status, "running"))
      .run();
  });
}
