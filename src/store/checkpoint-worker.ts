/**
 * The checkpointing thread (checkpointer.ts): its own connection to the database file, copying
 * committed WAL frames into the database whenever the writer says it committed.
 */
import { Database } from "bun:sqlite";

declare const self: Worker;

let db: Database | null = null;

self.onmessage = (event: MessageEvent<{ path: string } | "checkpoint">) => {
  if (event.data === "checkpoint") {
    try {
      // PASSIVE: copies what no reader still needs, never waits for a lock, never blocks the writer.
      db?.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
    } catch {
      // A checkpoint that could not run now is tried again after the next commit.
    }
    self.postMessage("done");
    return;
  }
  db = new Database(event.data.path);
  db.exec("PRAGMA busy_timeout=5000");
  self.postMessage("done");
};
