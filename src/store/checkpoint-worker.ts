/**
 * The checkpointing thread (checkpointer.ts): its own connection to the database file, copying
 * committed WAL frames into the database whenever the writer says it committed. It answers with
 * the WAL's length and how much of it is now copied, in frames; "close" closes its connection.
 */
import { Database } from "bun:sqlite";

declare const self: Worker;

let db: Database | null = null;

self.onmessage = (event: MessageEvent<{ path: string } | "checkpoint" | "close">) => {
  if (event.data === "checkpoint") {
    self.postMessage(checkpoint());
    return;
  }
  if (event.data === "close") {
    // Closed here, before the thread is terminated: a connection closed by the thread's end
    // could still hold a lock when the same process opens the database again.
    db?.close();
    db = null;
    self.postMessage({ closed: true });
    return;
  }
  db = new Database(event.data.path);
  db.exec("PRAGMA busy_timeout=5000");
  self.postMessage({ walFrames: 0, copied: 0 });
};

/** PASSIVE: copies what no reader still needs, never waits for a lock, never blocks the writer. */
function checkpoint(): { walFrames: number; copied: number } {
  try {
    const result = db
      ?.query<{ log: number; checkpointed: number }, []>("PRAGMA wal_checkpoint(PASSIVE)")
      .get();
    return { walFrames: result?.log ?? 0, copied: result?.checkpointed ?? 0 };
  } catch {
    // A checkpoint that could not run now is tried again after the next commit.
    return { walFrames: 0, copied: 0 };
  }
}
