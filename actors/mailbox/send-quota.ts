import { MailboxError } from "../../src/domain/errors.ts";
import { nextUtcMidnight, utcDay } from "../../src/domain/utc-day.ts";
import { sendLimit } from "../../src/mailbox/writes/grants.ts";
import { countSend, sendsOn } from "../../src/mailbox/writes/send-counts.ts";
import type { Tx } from "../../src/store/db.ts";

/**
 * The daily send quota: messages (not recipients) per grant per UTC day, over every send path
 * (API send, sent drafts, SMTP submission). Counted inside the grant's actor, which serializes
 * its sends, so two concurrent sends cannot both take the last slot.
 */

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
