import { and, eq } from "drizzle-orm";
import { providerMessages } from "../../store/schema.ts";
import type { Store } from "../../store/store.ts";
import type { ProviderLocation } from "../provider-index.ts";

/**
 * A message moved at the provider by a write-through: its place in the index follows it (new
 * folder, UIDVALIDITY and UID), so the sync finds it there as the same message, not a new one.
 */
export async function relocateMessage(
  store: Store,
  grantId: string,
  messageId: string,
  to: ProviderLocation,
): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(providerMessages)
      .set({ folderPath: to.folderPath, uidValidity: to.uidValidity, uid: to.uid })
      .where(and(eq(providerMessages.grantId, grantId), eq(providerMessages.messageId, messageId)))
      .run(),
  );
}
