/** What the mailbox actor reads and writes of its grant's row: its counters and its send limit. */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../store/db.ts";
import { grants } from "../../store/schema.ts";

export interface GrantCounters {
  applicationId: string;
  highestModseq: number;
  storageUsed: number;
  storageQuota: number;
  /** The highest UIDVALIDITY a folder of the grant ever had (deleted folders included). */
  uidValidityHigh: number;
}

export function grantCounters(db: Db, grantId: string): GrantCounters | undefined {
  return db
    .select({
      applicationId: grants.applicationId,
      highestModseq: grants.highestModseq,
      storageUsed: grants.storageUsedBytes,
      storageQuota: grants.storageQuotaBytes,
      uidValidityHigh: grants.uidValidityHigh,
    })
    .from(grants)
    .where(eq(grants.id, grantId))
    .get();
}

/** Plain SQL: it runs at the end of every batch. */
export function saveGrantCounters(
  tx: Tx,
  grantId: string,
  c: { highestModseq: number; storageUsed: number },
): void {
  tx.$client
    .prepare("UPDATE grants SET highest_modseq = ?, storage_used_bytes = ? WHERE id = ?")
    .run(c.highestModseq, c.storageUsed, grantId);
}

export function sendLimit(tx: Tx, grantId: string): { email: string; dailySendLimit: number } | undefined {
  return tx
    .select({ email: grants.email, dailySendLimit: grants.dailySendLimit })
    .from(grants)
    .where(eq(grants.id, grantId))
    .get();
}

export function saveUidValidityHigh(tx: Tx, grantId: string, uidValidity: number): void {
  tx.update(grants).set({ uidValidityHigh: uidValidity }).where(eq(grants.id, grantId)).run();
}
