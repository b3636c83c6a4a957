/** URLAUTH keys (RFC 4467): each mailbox's secret, created on first use, replaced by RESETKEY. */
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../store/db.ts";
import { imapUrlKeys } from "../../store/schema.ts";

/** The folder's key, inserted as `fresh` when it has none yet. */
export function ensureUrlKey(tx: Tx, grantId: string, folderId: string, fresh: Buffer, now: number): Buffer {
  tx.insert(imapUrlKeys)
    .values({ grantId, folderId, secret: fresh, createdAt: now })
    .onConflictDoNothing()
    .run();
  const row = tx
    .select({ secret: imapUrlKeys.secret })
    .from(imapUrlKeys)
    .where(and(eq(imapUrlKeys.grantId, grantId), eq(imapUrlKeys.folderId, folderId)))
    .get();
  if (!row) throw new Error("URLAUTH key not stored");
  return row.secret;
}

/** Forgets the keys of one folder, or of every folder of the account: their URLs stop working. */
export function dropUrlKeys(tx: Tx, grantId: string, folderId?: string): void {
  const where = folderId
    ? and(eq(imapUrlKeys.grantId, grantId), eq(imapUrlKeys.folderId, folderId))
    : eq(imapUrlKeys.grantId, grantId);
  tx.delete(imapUrlKeys).where(where).run();
}
