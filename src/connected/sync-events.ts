import { eq } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import { nowSeconds } from "../ids.ts";
import { grants, providerSync } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * A connected grant's two lifecycle notifications, each recorded once: grant.imap_sync_completed
 * when its initial (historical) sync ends, grant.expired when the provider refuses its
 * credentials (the grant turns `invalid` until a re-connect makes it valid again).
 */

/** Records grant.imap_sync_completed unless it already was; whether it was recorded now. */
export async function recordSyncCompleted(store: Store, grantId: string): Promise<boolean> {
  return store.writer.submit(async (tx) => {
    const grant = tx.select().from(grants).where(eq(grants.id, grantId)).get();
    const milestone = tx.select().from(providerSync).where(eq(providerSync.grantId, grantId)).get();
    if (!grant || milestone?.initialCompletedAt) return false;
    const at = Date.now();
    tx.insert(providerSync)
      .values({ grantId, initialCompletedAt: at })
      .onConflictDoUpdate({ target: providerSync.grantId, set: { initialCompletedAt: at } })
      .run();
    await recordEvent(tx, {
      applicationId: grant.applicationId,
      grantId,
      type: "grant.imap_sync_completed",
      object: {
        code: 25012,
        grant_id: grantId,
        integration_id: "imap",
        provider: "imap",
        type: "grant.imap_sync_completed",
      },
    });
    return true;
  });
}

/**
 * The provider refused the grant's credentials: status `invalid` and grant.expired, once (a grant
 * already invalid records nothing). Whether it was recorded now.
 */
export async function markGrantExpired(store: Store, grantId: string): Promise<boolean> {
  return store.writer.submit(async (tx) => {
    const grant = tx.select().from(grants).where(eq(grants.id, grantId)).get();
    if (!grant || grant.grantStatus === "invalid") return false;
    const updatedAt = nowSeconds();
    tx.update(grants).set({ grantStatus: "invalid", updatedAt }).where(eq(grants.id, grantId)).run();
    await recordEvent(tx, {
      applicationId: grant.applicationId,
      grantId,
      type: "grant.expired",
      object: {
        code: 25009,
        grant_id: grantId,
        integration_id: "imap",
        provider: "imap",
        email: grant.email,
        grant_updated_at: updatedAt,
      },
    });
    return true;
  });
}

/** Whether the grant is marked invalid (the sync waits for a re-connect). */
export function grantIsInvalid(store: Store, grantId: string): boolean {
  return store.read.select().from(grants).where(eq(grants.id, grantId)).get()?.grantStatus === "invalid";
}
