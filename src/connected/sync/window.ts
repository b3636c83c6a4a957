import { and, eq, lt } from "drizzle-orm";
import { messages, providerMessages } from "../../store/schema.ts";
import { type SyncContext, windowStartMs } from "./sync-context.ts";

const PURGE_BATCH = 500;

/**
 * The rolling window: local copies whose INTERNALDATE fell out of the last 90 days are dropped
 * from the cache (the provider keeps them; no webhook). Returns how many were dropped.
 */
export async function purgeOutsideWindow(ctx: SyncContext): Promise<number> {
  const cutoff = Math.floor(windowStartMs(ctx) / 1000);
  let dropped = 0;
  for (;;) {
    const ids = ctx.store.read
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(providerMessages, eq(providerMessages.messageId, messages.id))
      .where(and(eq(messages.grantId, ctx.grantId), lt(messages.internalDate, cutoff)))
      .limit(PURGE_BATCH)
      .all()
      .map((r) => r.id);
    if (ids.length === 0) return dropped;
    dropped += (await ctx.mailboxes.ask(ctx.grantId, "applyProviderChanges", { dropped: ids })).removed;
    if (ids.length < PURGE_BATCH) return dropped;
  }
}
