import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { listMigrations } from "../../src/store/migrate.ts";
import * as schema from "../../src/store/schema.ts";
import { applications } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { openTempStore } from "../support/store.ts";

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, dir, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

const app = (id: string) => ({ id, name: id, createdAt: 1, updatedAt: 1 });

describe("store", () => {
  test("the database file is WAL with synchronous=FULL and foreign keys on", async () => {
    const probe = new Database(`${dir}/agentbox.db`);
    expect(probe.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    probe.close();
    const sync = await store.writer.submit((tx) => tx.all<{ synchronous: number }>("PRAGMA synchronous"));
    expect(sync[0]?.synchronous).toBe(2);
    const fk = await store.writer.submit((tx) => tx.all<{ foreign_keys: number }>("PRAGMA foreign_keys"));
    expect(fk[0]?.foreign_keys).toBe(1);
  });

  test("every migration is applied once and recorded", async () => {
    const rows = await store.read.all<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
  });

  test("the drizzle schema matches the migrated tables column for column", async () => {
    for (const table of Object.values(schema)) {
      if (typeof table !== "object" || !table || !("getSQL" in table)) continue;
      const config = getTableConfig(table as Parameters<typeof getTableConfig>[0]);
      const columns = await store.read.all<{ name: string }>(`PRAGMA table_info(${config.name})`);
      const actual = new Set(columns.map((c) => c.name));
      for (const column of config.columns)
        expect(`${config.name}.${column.name}:${actual.has(column.name)}`).toBe(
          `${config.name}.${column.name}:true`,
        );
    }
  });

  test("a failing unit is rolled back alone; the rest of its transaction commits", async () => {
    const results = await Promise.all([
      store.writer.submitAll([
        (tx) => tx.insert(applications).values(app("a")),
        (tx) => tx.insert(applications).values(app("a")),
      ]),
      store.writer.submitAll([(tx) => tx.insert(applications).values(app("b"))]),
    ]);
    expect(results[0].map((r) => r.ok)).toEqual([true, false]);
    expect(results[1].map((r) => r.ok)).toEqual([true]);
    const ids = (await store.read.select().from(applications)).map((r) => r.id).sort();
    expect(ids).toEqual(["a", "b"]);
  });

  test("units queued together are group-committed in few transactions", async () => {
    const before = store.writer.stats().commits;
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        store.writer.submit((tx) => tx.insert(applications).values(app(`x${i}`))),
      ),
    );
    const commits = store.writer.stats().commits - before;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(3);
    expect((await store.read.select().from(applications)).length).toBe(300);
  });

  test("a unit's promise settles only after its transaction is visible to readers", async () => {
    await store.writer.submit((tx) => tx.insert(applications).values(app("visible")));
    const rows = await store.read.select().from(applications);
    expect(rows.map((r) => r.id)).toContain("visible");
  });
});
