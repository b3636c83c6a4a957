import { MailboxError } from "../../../src/domain/errors.ts";
import { grantCounters } from "../../../src/mailbox/writes/grants.ts";
import { command } from "../command.ts";

/**
 * The account's storage quota changed (its policy did): the actor takes the committed value,
 * so the next message is measured against it.
 */
export const reloadLimits = command<Record<string, never>, { storageQuota: number }>(async (ctx) => {
  const counters = grantCounters(ctx.tx, ctx.state.grantId);
  if (!counters) throw new MailboxError("not_found", `grant ${ctx.state.grantId} does not exist`);
  ctx.state.storageQuota = counters.storageQuota;
  return { storageQuota: counters.storageQuota };
});
