import type { MailboxChange } from "../../src/domain/changes.ts";
import { recordExpunged } from "../../src/mailbox/writes/expunged.ts";
import type { Tx } from "../../src/store/db.ts";

/**
 * Records every UID that left a folder in this command (moved out, expunged, deleted) with the
 * MODSEQ of its departure, in the command's own transaction: QRESYNC's VANISHED (EARLIER) reads
 * them back. Runs after every command, whichever surface sent it.
 */
export function recordDepartures(tx: Tx, grantId: string, changes: readonly MailboxChange[]): void {
  for (const change of changes) {
    if (change.type === "message.deleted") {
      recordExpunged(tx, grantId, change.folderId, change.uid, change.modseq);
    } else if (change.type === "message.moved") {
      recordExpunged(tx, grantId, change.fromFolderId, change.fromUid, change.modseq);
    }
  }
}
