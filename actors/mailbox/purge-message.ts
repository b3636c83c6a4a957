import { deleteMessage, type MessageRecord } from "../../src/mailbox/writes/messages.ts";
import type { Tx } from "../../src/store/db.ts";
import type { MailboxState } from "./state.ts";

/** Deletes a message for good and gives its size back to the storage quota. */
export function purgeMessage(tx: Tx, state: MailboxState, m: MessageRecord): void {
  deleteMessage(tx, m);
  state.storageUsed = Math.max(0, state.storageUsed - m.size);
}
