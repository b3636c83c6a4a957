import type { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.ts";

const MIGRATIONS_DIR = join(import.meta.dir, "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Versioned files `NNNN_name.sql`, applied in order, each in its own transaction, exactly once. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), "utf8"),
    }));
}

export function applyMigrations(db: Database, log: Logger, dir = MIGRATIONS_DIR): number {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    db
      .query<{ version: number }, []>("SELECT version FROM schema_migrations")
      .all()
      .map((r) => r.version),
  );
  let count = 0;
  for (const m of listMigrations(dir)) {
    if (applied.has(m.version)) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
          m.version,
          m.name,
          Math.floor(Date.now() / 1000),
        );
      }).immediate();
    } catch (err) {
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    log.info({ version: m.version, migration: m.name }, "migration applied");
    count++;
  }
  return count;
}
