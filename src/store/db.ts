import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { CachingDatabase } from "./connection.ts";
import type * as schema from "./schema.ts";

/** A drizzle handle on one of the store's connections. */
export type Db = BunSQLiteDatabase<typeof schema> & { $client: CachingDatabase };
/** The writer's connection, handed to a unit of work inside the batch's transaction. */
export type Tx = Db;
