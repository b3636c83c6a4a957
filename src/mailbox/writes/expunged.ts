/** UIDs that left a folder, with the MODSEQ of their departure: QRESYNC's VANISHED (EARLIER). */
import type { Tx } from "../../store/db.ts";

export function recordExpunged(tx: Tx, grantId: string, folderId: string, uid: number, modseq: number): void {
  tx.$client
    .prepare("INSERT OR REPLACE INTO expunged (grant_id, folder_id, uid, modseq) VALUES (?, ?, ?, ?)")
    .run(grantId, folderId, uid, modseq);
}
