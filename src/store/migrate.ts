import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@libsql/client";
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

export async function applyMigrations(client: Client, log: Logger, dir = MIGRATIONS_DIR): Promise<number> {
  await client.execute(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    (await client.execute("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version)),
  );
  let count = 0;
  for (const m of listMigrations(dir)) {
    if (applied.has(m.version)) continue;
    const tx = await client.transaction("write");
    try {
      await tx.executeMultiple(m.sql);
      await tx.execute({
        sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        args: [m.version, m.name, Math.floor(Date.now() / 1000)],
      });
      await tx.commit();
    } catch (err) {
      await tx.rollback();
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    log.info({ version: m.version, name: m.name }, "migration applied");
    count++;
  }
  return count;
}
