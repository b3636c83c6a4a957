import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, rmSync, statSync } from "node:fs";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { CachingDatabase } from "../../src/store/connection.ts";
import type { Tx } from "../../src/store/db.ts";
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

describe("writes held until commit", () => {
  const held = (tx: Tx, id: string) => tx.$client.holdUntilCommit(() => insertApp(tx, id));
  const insertApp = (tx: Tx, id: string) =>
    tx.$client
      .prepare("INSERT INTO applications (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)")
      .run(id, id);
  const ids = async () => (await store.read.select().from(applications)).map((r) => r.id).sort();

  test("a failing unit drops what it held; the others' held writes commit", async () => {
    const results = await store.writer.submitAll([
      (tx) => held(tx, "kept"),
      (tx) => {
        held(tx, "dropped");
        throw new Error("this unit fails");
      },
      (tx) => held(tx, "kept too"),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(await ids()).toEqual(["kept", "kept too"]);
  });

  test("held writes run after every unit of the batch, in the order they were held", async () => {
    const order: string[] = [];
    await store.writer.submitAll([
      (tx) => tx.$client.holdUntilCommit(() => order.push("held by 1")),
      () => {
        order.push("unit 2");
      },
      (tx) => tx.$client.holdUntilCommit(() => order.push("held by 3")),
    ]);
    expect(order).toEqual(["unit 2", "held by 1", "held by 3"]);
  });

  test("a held write that fails fails the whole transaction: nothing of it is committed", async () => {
    const results = await store.writer.submitAll([
      (tx) => insertApp(tx, "in the same transaction"),
      (tx) => held(tx, "dup"),
      (tx) => held(tx, "dup"),
    ]);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await ids()).toEqual([]);
    // The writer goes on: the next transaction commits.
    await store.writer.submit((tx) => held(tx, "after"));
    expect(await ids()).toEqual(["after"]);
  });

  test("outside a transaction a held write runs at once", async () => {
    const db = new CachingDatabase(":memory:");
    let ran = false;
    db.holdUntilCommit(() => {
      ran = true;
    });
    expect(ran).toBe(true);
    db.close();
  });
});

describe("checkpoints", () => {
  test("the writer does not checkpoint; the checkpoint thread copies commits into the database file", async () => {
    const auto = await store.writer.submit((tx) =>
      tx.all<{ wal_autocheckpoint: number }>("PRAGMA wal_autocheckpoint"),
    );
    expect(auto[0]?.wal_autocheckpoint).toBe(0);
    const file = `${dir}/agentbox.db`;
    const before = statSync(file).size;
    await store.writer.submit((tx) => {
      for (let i = 0; i < 200; i++) insertBig(tx, i);
    });
    // Committed pages sit in the WAL until a checkpoint copies them into the file.
    await waitFor(() => statSync(file).size > before + 200 * 4096);
    expect(statSync(file).size).toBeGreaterThan(before + 200 * 4096);
  });

  test("close waits for the checkpoint thread; the file reopens with everything", async () => {
    await store.writer.submit((tx) => {
      for (let i = 0; i < 50; i++) insertBig(tx, i);
    });
    await cleanupKeepingFiles();
    // Every connection, the thread's too, was closed: the last one checkpointed and removed the WAL.
    expect(existsSync(`${dir}/agentbox.db-wal`)).toBe(false);
    const reopened = new Database(`${dir}/agentbox.db`);
    expect(reopened.query<{ n: number }, []>("SELECT count(*) AS n FROM blobs").get()?.n).toBe(50);
    reopened.close();
  });
});

function insertBig(tx: Tx, i: number): void {
  tx.$client
    .prepare("INSERT INTO blobs (hash, size, data) VALUES (?, ?, ?)")
    .run(`h${i}`, 8192, new Uint8Array(8192).fill(i % 256));
}

/** Closes the store but leaves its directory, for a test that reopens the file. */
async function cleanupKeepingFiles(): Promise<void> {
  await store.close();
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await Bun.sleep(10);
}
