import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  createAutoGroupJob,
  failInterruptedAutoGroupJobs,
  findAutoGroupJob,
  runAutoGroupJob,
} from "../../src/accounts/auto-group-jobs.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore } from "../support/store.ts";

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterAll(() => cleanup());

test("a job a restart interrupted is marked failed at the next start; a finished one is left as it is", async () => {
  const { applicationId } = await insertGrant(store);
  const interrupted = await createAutoGroupJob(store, applicationId, { invalidAlso: false });
  const finished = await createAutoGroupJob(store, applicationId, { invalidAlso: false });
  await runAutoGroupJob(store, finished);
  await failInterruptedAutoGroupJobs(store);
  expect(findAutoGroupJob(store.read, applicationId, interrupted.id)).toMatchObject({
    status: "failed",
    error: "interrupted by a restart; start the job again",
  });
  expect(findAutoGroupJob(store.read, applicationId, finished.id)).toMatchObject({
    status: "completed",
    error: null,
  });
  // Another application's id finds nothing.
  expect(findAutoGroupJob(store.read, "another-app", finished.id)).toBeUndefined();
});
