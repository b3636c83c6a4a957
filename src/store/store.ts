import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Logger } from "../log.ts";
import { applyMigrations } from "./migrate.ts";
import * as schema from "./schema.ts";
import { StoreWriter } from "./writer.ts";

export type Db = LibSQLDatabase<typeof schema>;
/** A transaction (or a savepoint inside one) handed to a unit of work by the writer. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Every database access goes through here: `read` for committed state (any number of concurrent
 * readers), `writer` for changes (one transaction at a time, group-committed). A remote or
 * replicated database plugs in behind this module.
 */
export class Store {
  private constructor(
    readonly read: Db,
    readonly writer: StoreWriter,
    private readonly clients: Client[],
  ) {}

  static async open(databaseUrl: string, log: Logger): Promise<Store> {
    const path = databaseUrl.slice("file:".length);
    if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // One connection for the single writer, so its pragmas hold for every transaction.
    const writeClient = createClient({ url: databaseUrl, concurrency: 1 });
    await configureConnection(writeClient);
    await applyMigrations(writeClient, log);
    const readClient = createClient({ url: databaseUrl, concurrency: 4 });
    await readClient.execute("PRAGMA busy_timeout=5000");
    const writeDb = drizzle(writeClient, { schema });
    const readDb = drizzle(readClient, { schema });
    return new Store(readDb, new StoreWriter(writeDb, log), [writeClient, readClient]);
  }

  async close(): Promise<void> {
    await this.writer.drain();
    for (const client of this.clients) client.close();
  }
}

async function configureConnection(client: Client): Promise<void> {
  await client.execute("PRAGMA journal_mode=WAL");
  // FULL: a commit survives a power cut, not only a process crash (DESIGN.md).
  await client.execute("PRAGMA synchronous=FULL");
  await client.execute("PRAGMA foreign_keys=ON");
  await client.execute("PRAGMA busy_timeout=5000");
}
