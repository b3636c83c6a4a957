import { and, asc, eq, gt, sql } from "drizzle-orm";
import { newTimeUuid, nowSeconds } from "../ids.ts";
import type { RuleAction, RuleDefinition, RuleMatch, RuleTrigger } from "../rule-engine/vocabulary.ts";
import type { Tx } from "../store/db.ts";
import { policies, type RuleRow, rules, workspaces } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type Page, type PageRequest, pageOf } from "./page.ts";

/** Rules (/v3/rules): what the engine runs, stored as validated match and actions. */

export interface RuleFields {
  name: string;
  description: string | null;
  priority: number;
  enabled: boolean;
  trigger: RuleTrigger;
  match: RuleMatch;
  actions: RuleAction[];
}

export async function createRule(store: Store, applicationId: string, f: RuleFields): Promise<RuleRow> {
  const now = nowSeconds();
  const row: RuleRow = { id: newTimeUuid(), applicationId, ...columnsOf(f), createdAt: now, updatedAt: now };
  await store.writer.submit((tx) => tx.insert(rules).values(row).run());
  return row;
}

export function listRules(store: Store, applicationId: string, page: PageRequest): Page<RuleRow> {
  const rows = store.read
    .select()
    .from(rules)
    .where(and(eq(rules.applicationId, applicationId), page.after ? gt(rules.id, page.after) : undefined))
    .orderBy(asc(rules.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit);
}

export function allRules(store: Store, applicationId: string): RuleRow[] {
  return store.read.select().from(rules).where(eq(rules.applicationId, applicationId)).all();
}

export function findRule(store: Store, applicationId: string, id: string): RuleRow | null {
  return (
    store.read
      .select()
      .from(rules)
      .where(and(eq(rules.applicationId, applicationId), eq(rules.id, id)))
      .get() ?? null
  );
}

export async function updateRule(store: Store, row: RuleRow, f: RuleFields): Promise<RuleRow> {
  const next: RuleRow = { ...row, ...columnsOf(f), updatedAt: nowSeconds() };
  await store.writer.submit((tx) => tx.update(rules).set(next).where(eq(rules.id, row.id)).run());
  return next;
}

/** Deletes the rule and takes it out of every workspace's rule_ids and policy's rules. */
export async function deleteRule(store: Store, row: RuleRow): Promise<void> {
  await store.writer.submit((tx) => {
    tx.delete(rules).where(eq(rules.id, row.id)).run();
    dropRuleId(tx, "workspaces", row);
    dropRuleId(tx, "policies", row);
  });
}

function dropRuleId(tx: Tx, table: "workspaces" | "policies", row: RuleRow): void {
  const t = table === "workspaces" ? workspaces : policies;
  const named = tx
    .select({ id: t.id, ruleIdsJson: t.ruleIdsJson })
    .from(t)
    .where(
      and(
        eq(t.applicationId, row.applicationId),
        sql`EXISTS (SELECT 1 FROM json_each(${t.ruleIdsJson}) WHERE value = ${row.id})`,
      ),
    )
    .all();
  for (const n of named) {
    const kept = (JSON.parse(n.ruleIdsJson) as string[]).filter((id) => id !== row.id);
    tx.update(t)
      .set({ ruleIdsJson: JSON.stringify(kept) })
      .where(eq(t.id, n.id))
      .run();
  }
}

export function ruleFields(row: RuleRow): RuleFields {
  return {
    name: row.name,
    description: row.description,
    priority: row.priority,
    enabled: row.enabled,
    trigger: row.trigger,
    match: JSON.parse(row.matchJson) as RuleMatch,
    actions: JSON.parse(row.actionsJson) as RuleAction[],
  };
}

/** A stored rule as the engine takes it. */
export function ruleDefinition(row: RuleRow): RuleDefinition {
  const f = ruleFields(row);
  return {
    id: row.id,
    priority: f.priority,
    enabled: f.enabled,
    trigger: f.trigger,
    match: f.match,
    actions: f.actions,
  };
}

function columnsOf(f: RuleFields) {
  return {
    name: f.name,
    description: f.description,
    priority: f.priority,
    enabled: f.enabled,
    trigger: f.trigger,
    matchJson: JSON.stringify(f.match),
    actionsJson: JSON.stringify(f.actions),
  };
}
