import { MailboxError } from "../../src/domain/errors.ts";
import { nextUtcMidnight, utcDay } from "../../src/domain/utc-day.ts";
import { countReceived, receivedOn } from "../../src/mailbox/writes/receive-counts.ts";
import type { CommandContext } from "./command.ts";

/**
 * A policy's daily receive limit, taken in the unit that stores the message (the actor
 * serializes the grant's appends: the last slot cannot be taken twice), or refused with
 * `rate_limited` saying when it resets.
 */
export function reserveReceive(ctx: CommandContext, limit: number): void {
  const day = utcDay(ctx.now);
  const used = receivedOn(ctx.tx, ctx.state.grantId, day);
  if (used >= limit) {
    const reset = nextUtcMidnight(ctx.now);
    throw new MailboxError(
      "rate_limited",
      `daily receive limit reached: ${used} of ${limit} messages today (UTC); it resets at ${new Date(reset * 1000).toISOString()}`,
      reset - ctx.now,
    );
  }
  countReceived(ctx.tx, ctx.state.grantId, day);
}
