import type { MailboxChange } from "../../src/domain/changes.ts";
import type { Tx } from "../../src/store/store.ts";

/**
 * Records every UID that left a folder in this command (moved out, expunged, deleted) with the
 * MODSEQ of its departure, in the command's own transaction: QRESYNC's VANISHED (EARLIER) reads
 * them back. Runs after every command, whichever surface sent it.
 */
export function recordDepartures(tx: Tx, grantId: string, changes: readonly MailboxChange[]): void {
  let insert: ReturnType<Tx["$client"]["prepare"]> | null = null;
  for (const change of changes) {
    let folderId: string;
    let uid: number;
    if (change.type === "message.deleted") {
      folderId = change.folderId;
      uid = change.uid;
    } else if (change.type === "message.moved") {
      folderId = change.fromFolderId;
      uid = change.fromUid;
    } else {
      continue;
    }
    insert ??= tx.$client.prepare(
      "INSERT OR REPLACE INTO expunged (grant_id, folder_id, uid, modseq) VALUES (?, ?, ?, ?)",
    );
    insert.run(grantId, folderId, uid, change.modseq);
  }
}
