/** URLAUTH keys, read by URLFETCH (written only through the actor: writes/url-keys.ts). */
import { and, eq } from "drizzle-orm";
import { imapUrlKeys } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** The folder's URLAUTH key, or null when it has none (never generated, or reset). */
export function readUrlKey(store: Store, grantId: string, folderId: string): Buffer | null {
  const row = store.read
    .select({ secret: imapUrlKeys.secret })
    .from(imapUrlKeys)
    .where(and(eq(imapUrlKeys.grantId, grantId), eq(imapUrlKeys.folderId, folderId)))
    .get();
  return row?.secret ?? null;
}
