import { afterEach, beforeEach, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { compiledReads } from "../../src/store/compiled-reads.ts";
import { applications } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { openTempStore } from "../support/store.ts";

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

const queries = compiledReads((db) => ({
  application: db
    .select({ name: applications.name })
    .from(applications)
    .where(eq(applications.id, sql.placeholder("id")))
    .prepare(),
}));

test("a compiled read is compiled once per store", () => {
  expect(queries(store)).toBe(queries(store));
});

test("a compiled read outlives the statement cache's evictions", async () => {
  await store.writer.submit((tx) =>
    tx.insert(applications).values({ id: "app", name: "kept", createdAt: 1, updatedAt: 1 }),
  );
  expect(queries(store).application.get({ id: "app" })?.name).toBe("kept");
  for (let i = 0; i < 1500; i++) store.read.$client.prepare(`SELECT ${i}`).get();
  expect(queries(store).application.get({ id: "app" })?.name).toBe("kept");
});
