import { and, eq, sql } from "drizzle-orm";
import { MailboxError } from "../domain/errors.ts";
import { grants, sendCounts } from "../store/schema.ts";
import type { Db, Tx } from "../store/store.ts";

/**
 * The daily send quota: messages (not recipients) per grant per UTC day, over every send path
 * (API send, sent drafts, SMTP submission). Counted inside the grant's actor, which serializes
 * its sends, so two concurrent sends cannot both take the last slot.
 */

/** `YYYY-MM-DD` of a Unix time, in UTC. */
export function utcDay(nowS: number): string {
  return new Date(nowS * 1000).toISOString().slice(0, 10);
}

/** Unix seconds of the next 00:00 UTC, when the count starts again. */
export function nextUtcMidnight(nowS: number): number {
  const d = new Date(nowS * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) / 1000;
}

/**
 * Takes one send from today's quota, inside the caller's transaction (so it is rolled back with
 * the send if the send fails), or refuses with `rate_limited` saying when the quota resets.
 */
export async function reserveSend(tx: Tx, grantId: string, nowS: number): Promise<void> {
  const grant = await tx.query.grants.findFirst({ where: eq(grants.id, grantId) });
  if (!grant) throw new MailboxError("not_found", `grant ${grantId} does not exist`);
  const day = utcDay(nowS);
  const used = await sendsOn(tx, grantId, day);
  if (used >= grant.dailySendLimit) {
    const reset = nextUtcMidnight(nowS);
    throw new MailboxError(
      "rate_limited",
      `daily send limit reached: ${grant.email} has sent ${used} of ${grant.dailySendLimit} messages ` +
        `today (UTC); the limit resets at ${new Date(reset * 1000).toISOString()}`,
      reset - nowS,
    );
  }
  await tx
    .insert(sendCounts)
    .values({ grantId, day, count: 1 })
    .onConflictDoUpdate({
      target: [sendCounts.grantId, sendCounts.day],
      set: { count: sql`${sendCounts.count} + 1` },
    });
}

/** Messages sent by the grant on that UTC day. */
export async function sendsOn(db: Db, grantId: string, day: string): Promise<number> {
  const [row] = await db
    .select({ count: sendCounts.count })
    .from(sendCounts)
    .where(and(eq(sendCounts.grantId, grantId), eq(sendCounts.day, day)));
  return row?.count ?? 0;
}
