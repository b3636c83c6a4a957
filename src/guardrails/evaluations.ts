import { and, desc, eq, lt } from "drizzle-orm";
import { type RuleEvaluationRow, ruleEvaluations } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import type { Page, PageRequest } from "./page.ts";

/** A grant's rule evaluations, newest first (`after` is the last id of the previous page). */
export function evaluationsPage(store: Store, grantId: string, page: PageRequest): Page<RuleEvaluationRow> {
  const rows = store.read
    .select()
    .from(ruleEvaluations)
    .where(
      and(eq(ruleEvaluations.grantId, grantId), page.after ? lt(ruleEvaluations.id, page.after) : undefined),
    )
    .orderBy(desc(ruleEvaluations.id))
    .limit(page.limit + 1)
    .all();
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { rows: kept, nextAfter: more ? (kept[kept.length - 1]?.id ?? null) : null };
}
