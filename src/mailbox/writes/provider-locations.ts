import type { Tx } from "../../store/db.ts";

/**
 * A connected grant's message ↔ its place at the provider (table provider_messages, read by
 * src/connected/provider-index.ts), written in the unit that stores the message so that a sync
 * killed mid-way can neither store a provider message twice nor lose track of one.
 */
export interface ProviderPlace {
  folderPath: string;
  uidValidity: number;
  uid: number;
}

/** The local message already stored for this provider message, if any. */
export function messageAtPlace(tx: Tx, grantId: string, at: ProviderPlace): string | undefined {
  const row = tx.$client
    .prepare(
      "SELECT message_id FROM provider_messages WHERE grant_id = ? AND folder_path = ? AND uid_validity = ? AND uid = ?",
    )
    .get(grantId, at.folderPath, at.uidValidity, at.uid) as { message_id: string } | null;
  return row?.message_id;
}

/** Records (or moves) where a local message lives at the provider. */
export function placeMessage(tx: Tx, grantId: string, messageId: string, at: ProviderPlace): void {
  tx.$client.prepare("DELETE FROM provider_messages WHERE message_id = ?").run(messageId);
  tx.$client
    .prepare(
      "INSERT OR REPLACE INTO provider_messages (grant_id, folder_path, uid_validity, uid, message_id) VALUES (?, ?, ?, ?, ?)",
    )
    .run(grantId, at.folderPath, at.uidValidity, at.uid, messageId);
}
