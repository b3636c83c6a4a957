import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpointer } from "../../src/store/checkpointer.ts";

const PAGE = 4096;
/** A small rewind point, so that a test writes a few MB instead of hundreds. */
const REWIND_AT_FRAMES = 256;
/** 400 transactions of 64 pages: ~100 MB through the WAL, 400 times the rewind point. */
const TRANSACTIONS = 400;
const WRITTEN = TRANSACTIONS * 64 * PAGE;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "agentbox-checkpointer-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A writer like the store's: WAL, no automatic checkpoint, one transaction after another. */
function openWriter(path: string): Database {
  const db = new Database(path, { create: true });
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA wal_autocheckpoint=0");
  db.exec("CREATE TABLE t (data BLOB)");
  return db;
}

/**
 * Writes `transactions` transactions of 64 pages back to back (each waiting for the
 * checkpointer when it asks), and returns the largest the WAL file got.
 */
async function sustainedWrites(db: Database, checkpointer: Checkpointer, transactions: number) {
  const insert = db.prepare("INSERT INTO t (data) VALUES (?)");
  let largestWal = 0;
  let pauses = 0;
  for (let i = 0; i < transactions; i++) {
    const pause = checkpointer.beforeWrite();
    if (pause) {
      pauses++;
      await pause;
    }
    db.transaction(() => {
      for (let row = 0; row < 64; row++) insert.run(new Uint8Array(PAGE - 100));
    })();
    checkpointer.poke();
    largestWal = Math.max(largestWal, statSync(`${db.filename}-wal`).size);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { largestWal, pauses };
}

describe("Checkpointer", () => {
  test("a thread that cannot open the database reports it, and close still returns", async () => {
    let failure: Error | null = null;
    const checkpointer = new Checkpointer("/nonexistent/dir/agentbox.db", (error) => {
      failure = error;
    });
    const until = Date.now() + 5000;
    while (!failure && Date.now() < until) await Bun.sleep(10);
    expect(String(failure)).toContain("checkpoint thread failed");
    checkpointer.poke(); // ignored once the thread is gone
    expect(checkpointer.beforeWrite()).toBeNull(); // the writer never waits for a dead thread
    await checkpointer.close();
  });

  test("under sustained writes the WAL is rewound: it stays near the rewind point", async () => {
    const path = join(dir, "rewind.db");
    const db = openWriter(path);
    const checkpointer = new Checkpointer(path, () => {}, REWIND_AT_FRAMES);
    const { largestWal, pauses } = await sustainedWrites(db, checkpointer, TRANSACTIONS);
    await checkpointer.close();
    expect(pauses).toBeGreaterThan(0);
    expect(largestWal).toBeLessThan(WRITTEN / 3);
    expect(db.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()?.n).toBe(400 * 64);
    db.close();
  });

  test("without the writer's pause before its transactions the WAL only grows", async () => {
    const path = join(dir, "no-rewind.db");
    const db = openWriter(path);
    const checkpointer = new Checkpointer(path, () => {}, REWIND_AT_FRAMES);
    const neverPausing = { beforeWrite: () => null, poke: () => checkpointer.poke() } as Checkpointer;
    const { largestWal } = await sustainedWrites(db, neverPausing, TRANSACTIONS);
    await checkpointer.close();
    expect(largestWal).toBeGreaterThan(WRITTEN * 0.8);
    db.close();
  });

  test("while a reader holds old frames the writer does not keep waiting for a rewind", async () => {
    const path = join(dir, "pinned.db");
    const db = openWriter(path);
    db.prepare("INSERT INTO t (data) VALUES (?)").run(new Uint8Array(10));
    const reader = new Database(path);
    reader.exec("BEGIN");
    reader.query("SELECT count(*) FROM t").get(); // a read transaction on the WAL as it is now
    const checkpointer = new Checkpointer(path, () => {}, REWIND_AT_FRAMES);
    const { pauses } = await sustainedWrites(db, checkpointer, TRANSACTIONS);
    await checkpointer.close();
    // Checkpoints cannot copy past the reader's snapshot, so none ever copies everything.
    expect(pauses).toBe(0);
    reader.exec("COMMIT");
    reader.close();
    db.close();
  });

  test("a checkpoint thread that does not answer holds the writer back at most a second", async () => {
    const path = join(dir, "stalled.db");
    const db = openWriter(path);
    const checkpointer = new Checkpointer(path, () => {}, REWIND_AT_FRAMES);
    const insert = db.prepare("INSERT INTO t (data) VALUES (?)");
    db.transaction(() => {
      for (let row = 0; row < 4 * REWIND_AT_FRAMES; row++) insert.run(new Uint8Array(PAGE - 100));
    })();
    checkpointer.poke();
    await Bun.sleep(300); // a checkpoint has seen the WAL past the rewind point
    // From now on the thread is asked to checkpoint and never answers.
    (checkpointer as unknown as { start: () => void }).start = () => {};
    const started = performance.now();
    const pause = checkpointer.beforeWrite();
    expect(pause).not.toBeNull();
    await pause;
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(performance.now() - started).toBeLessThan(2000);
    db.close();
  });
});
