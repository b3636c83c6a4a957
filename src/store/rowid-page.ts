import { and, asc, gt, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./db.ts";

/** One page of a table in insertion order: rows after `afterSeq` (a rowid), and one more to tell a next page. */
export interface RowidPage<T> {
  rows: T[];
  /** The rowid to resume after, or null on the last page. */
  next: number | null;
}

/**
 * Keyset paging by rowid for the small per-owner tables (signatures, templates, workflows,
 * contacts): stable under inserts and deletes, one index seek per page.
 */
export function rowidPage<T extends SQLiteTable>(
  db: Db,
  table: T,
  owner: SQL | undefined,
  limit: number,
  afterSeq: number,
): RowidPage<T["$inferSelect"]> {
  const found = db
    .select({ seq: sql<number>`${table}.rowid`, row: table } as never)
    .from(table as never)
    .where(and(owner, gt(sql`${table}.rowid`, afterSeq)))
    .orderBy(asc(sql`${table}.rowid`))
    .limit(limit + 1)
    .all() as { seq: number; row: T["$inferSelect"] }[];
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return { rows: page.map((r) => r.row), next: found.length > limit && last ? last.seq : null };
}
