import { Database } from "bun:sqlite";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** What a backup or a restore did, for the operator. */
export interface BackupResult {
  bytes: number;
  ms: number;
}

export class BackupError extends Error {}

/**
 * A consistent snapshot of the live database into `file`, while the server runs and takes mail:
 * `VACUUM INTO` is one read transaction on its own connection, so in WAL mode the server's writer
 * never waits for it. Written beside `file` and renamed into place once synced: a crash leaves
 * either the old file or the whole new one.
 */
export function backupDatabase(databasePath: string, file: string): BackupResult {
  const started = performance.now();
  if (!existsSync(databasePath)) throw new BackupError(`no database at ${databasePath}`);
  if (existsSync(file)) throw new BackupError(`${file} exists; choose a new file name`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(databasePath, { readwrite: true, create: false });
  try {
    db.exec("PRAGMA busy_timeout=5000");
    db.query("VACUUM INTO ?").run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup failed: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  syncFile(partial);
  renameSync(partial, file);
  syncFile(dirname(file));
  return { bytes: statSync(file).size, ms: Math.round(performance.now() - started) };
}

/**
 * Puts a backup in place of the database of a stopped server. Refused when the file is not a
 * sound agentbox database, or when any process still has the database open (the server runs).
 * The database it replaces is kept beside it as `<name>.before-restore-<time>`.
 */
export function restoreDatabase(
  file: string,
  databasePath: string,
): BackupResult & { previous: string | null } {
  const started = performance.now();
  checkBackup(file);
  const previous = existsSync(databasePath) ? setAside(databasePath) : null;
  const partial = `${databasePath}.restoring`;
  const source = new Database(file, { readonly: true });
  try {
    source.query("VACUUM INTO ?").run(partial);
  } finally {
    source.close();
  }
  syncFile(partial);
  renameSync(partial, databasePath);
  syncFile(dirname(databasePath));
  return { bytes: statSync(databasePath).size, ms: Math.round(performance.now() - started), previous };
}

function checkBackup(file: string): void {
  if (!existsSync(file)) throw new BackupError(`no such file: ${file}`);
  let db: Database | null = null;
  try {
    db = new Database(file, { readonly: true });
    const check = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    if (check.length !== 1 || check[0]?.integrity_check !== "ok") {
      throw new BackupError(`${file} is damaged: ${check.map((r) => r.integrity_check).join("; ")}`);
    }
    const migrations = db
      .query<{ n: number }, []>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'")
      .get();
    if (!migrations?.n) throw new BackupError(`${file} is not an agentbox database`);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not an agentbox database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Moves the current database aside, first making sure nobody has it open: leaving WAL mode needs
 * the only connection, so a running server (or any other reader) makes this fail at once. It also
 * folds the WAL into the file, so the file set aside is whole on its own.
 */
function setAside(databasePath: string): string {
  const db = new Database(databasePath, { readwrite: true, create: false });
  try {
    db.exec("PRAGMA busy_timeout=0");
    const mode = db.query<{ journal_mode: string }, []>("PRAGMA journal_mode=DELETE").get();
    if (mode?.journal_mode !== "delete") throw inUse(databasePath);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw inUse(databasePath);
  } finally {
    db.close();
  }
  const aside = `${databasePath}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(databasePath, aside);
  for (const suffix of ["-wal", "-shm"]) rmSync(`${databasePath}${suffix}`, { force: true });
  return aside;
}

function inUse(databasePath: string): BackupError {
  return new BackupError(`${databasePath} is in use: stop the server before restoring`);
}

function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
