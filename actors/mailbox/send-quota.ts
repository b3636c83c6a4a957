import { MailboxError } from "../../src/domain/errors.ts";
import { sendLimit } from "../../src/mailbox/writes/grants.ts";
import { countSend, sendsOn } from "../../src/mailbox/writes/send-counts.ts";
import type { Tx } from "../../src/store/db.ts";

/**
 * The daily send quota: messages (not recipients) per grant per UTC day, over every send path
 * (API send, sent drafts, SMTP submission). Counted inside the grant's actor, which serializes
 * its sends, so two concurrent sends cannot both take the last slot.
 */

/** `YYYY-MM-DD` of a Unix time, in UTC. */
function utcDay(nowS: number): string {
  return new Date(nowS * 1000).toISOString().slice(0, 10);
}

/** Unix seconds of the next 00:00 UTC, when the count starts again. */
function nextUtcMidnight(nowS: number): number {
  const d = new Date(nowS * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) / 1000;
}

/**
 * Takes one send from today's quota, inside the send's unit (so it is rolled back with the send
 * if the send fails), or refuses with `rate_limited` saying when the quota resets.
 */
export function reserveSend(tx: Tx, grantId: string, nowS: number): void {
  const grant = sendLimit(tx, grantId);
  if (!grant) throw new MailboxError("not_found", `grant ${grantId} does not exist`);
  const day = utcDay(nowS);
  const used = sendsOn(tx, grantId, day);
  if (used >= grant.dailySendLimit) {
    const reset = nextUtcMidnight(nowS);
    throw new MailboxError(
      "rate_limited",
      `daily send limit reached: ${grant.email} has sent ${used} of ${grant.dailySendLimit} messages ` +
        `today (UTC); the limit resets at ${new Date(reset * 1000).toISOString()}`,
      reset - nowS,
    );
  }
  countSend(tx, grantId, day);
}
