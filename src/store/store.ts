import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { Logger } from "../log.ts";
import { Checkpointer } from "./checkpointer.ts";
import { CachingDatabase } from "./connection.ts";
import type { Db } from "./db.ts";
import { applyMigrations } from "./migrate.ts";
import * as schema from "./schema.ts";
import { StoreWriter } from "./writer.ts";

/**
 * Page cache of the writer connection. bench/ingest.ts, 100 grants: 2 MB (the default) ~1,350
 * messages/s, 8 MB ~1,650/s, no better above; each MB is resident (bench/provision.ts RSS).
 */
const WRITER_CACHE_KIB = 8 * 1024;

/**
 * Every database access goes through here: `read` for committed state, `writer` for changes (one
 * transaction at a time, group-committed). The embedded default is an SQLite-format file opened
 * with bun:sqlite (see docs/architecture.md, "Why bun:sqlite"); a remote or replicated libSQL
 * database plugs in behind this module.
 */
export class Store {
  private constructor(
    readonly read: Db,
    readonly writer: StoreWriter,
    private readonly connections: CachingDatabase[],
    private readonly checkpointer: Checkpointer | null,
  ) {}

  static async open(databaseUrl: string, log: Logger): Promise<Store> {
    const path = databaseUrl.slice("file:".length) || ":memory:";
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // One connection for the single writer, so its pragmas hold for every transaction.
    const writeConnection = openConnection(path);
    // The writer's working set is the leaf pages every grant's indexes are appended to; at SQLite's
    // default (2 MB) a hundred busy grants re-read them from the OS for every commit.
    writeConnection.exec(`PRAGMA cache_size=-${WRITER_CACHE_KIB}`);
    // Every unit runs in a SAVEPOINT, whose journal holds the pages it changes that the batch had
    // already changed (~30 a message). On disk (the default) that was ~60 writes a message to a
    // temporary file and a third of the writer's system time; in memory it is a copy, freed at
    // each RELEASE.
    writeConnection.exec("PRAGMA temp_store=MEMORY");
    applyMigrations(writeConnection, log);
    const readConnection = openConnection(path);
    const writer = new StoreWriter(drizzle(writeConnection, { schema }), log);
    const checkpointer = path === ":memory:" ? null : checkpointOffThread(path, writeConnection, log);
    if (checkpointer) {
      writer.onCommit(() => checkpointer.poke());
      writer.pauseBeforeTransactions(() => checkpointer.beforeWrite());
    }
    return new Store(
      drizzle(readConnection, { schema }),
      writer,
      [writeConnection, readConnection],
      checkpointer,
    );
  }

  async close(): Promise<void> {
    await this.writer.drain();
    await this.checkpointer?.close();
    for (const connection of this.connections) connection.close();
  }
}

/** Moves the writer's WAL checkpoints to their own thread (checkpointer.ts). */
function checkpointOffThread(path: string, writeConnection: CachingDatabase, log: Logger): Checkpointer {
  writeConnection.exec("PRAGMA wal_autocheckpoint=0");
  return new Checkpointer(path, (err) => {
    log.error({ err }, "checkpoint thread failed; the writer checkpoints again");
    writeConnection.exec("PRAGMA wal_autocheckpoint=1000");
  });
}

function openConnection(path: string): CachingDatabase {
  const db = new CachingDatabase(path, { create: true });
  // First: switching to WAL takes a lock that another connection may hold for a moment.
  db.exec("PRAGMA busy_timeout=5000");
  db.exec("PRAGMA journal_mode=WAL");
  // FULL: a commit survives a power cut, not only a process crash (durable before acknowledged).
  db.exec("PRAGMA synchronous=FULL");
  db.exec("PRAGMA foreign_keys=ON");
  return db;
}
