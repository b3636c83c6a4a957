import { providerMessages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import type { ProviderLocation } from "./provider-index.ts";

/**
 * A local message agentbox itself put at the provider (a sent copy appended to Sent): indexed at
 * once, so the sync finds it there as this message rather than a new one.
 */
export async function indexMessageAt(
  store: Store,
  grantId: string,
  messageId: string,
  at: ProviderLocation,
): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .insert(providerMessages)
      .values({ grantId, messageId, ...at })
      .onConflictDoNothing()
      .run(),
  );
}
