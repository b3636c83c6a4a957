/** Raw messages, content-addressed by SHA-256: a copy, a Sent copy and its queued delivery share one row. */
import type { Tx } from "../../store/db.ts";

export function insertBlob(tx: Tx, hash: string, data: Uint8Array): void {
  tx.$client
    .prepare("INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)")
    .run(hash, data.byteLength, data);
}

/** Deletes the raw messages no message and no queued delivery refers to any more. */
export function deleteUnusedBlobs(tx: Tx, hashes: Iterable<string>): void {
  const stmt = tx.$client.prepare(
    `DELETE FROM blobs WHERE hash = ?1
       AND NOT EXISTS (SELECT 1 FROM messages WHERE blob_hash = ?1)
       AND NOT EXISTS (SELECT 1 FROM outbound_queue WHERE blob_hash = ?1)`,
  );
  for (const hash of hashes) stmt.run(hash);
}
