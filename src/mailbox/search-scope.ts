/**
 * Whether searches may be scoped to a grant inside the index (withinGrant, grantToken). Rows
 * written before migration 0012 lack the token until src/maintenance/search-grant-tokens.ts has
 * re-indexed them; while that task is pending, searches match the whole index and the SQL keeps
 * them to the grant, as before. Once the task is gone it never comes back, so that is cached.
 */
import { eq } from "drizzle-orm";
import { withinGrant } from "../mail/search/fts.ts";
import { maintenanceTasks } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const scoped = new WeakSet<Store>();

/** The MATCH expression for a grant's search. */
export function grantMatch(store: Store, grantId: string, match: string): string {
  return tokensReady(store) ? withinGrant(grantId, match) : match;
}

function tokensReady(store: Store): boolean {
  if (scoped.has(store)) return true;
  const pending = store.read
    .select({ name: maintenanceTasks.name })
    .from(maintenanceTasks)
    .where(eq(maintenanceTasks.name, "search_grant_tokens"))
    .get();
  if (pending) return false;
  scoped.add(store);
  return true;
}
