import { type CompiledRuleSet, fieldValues, type ListHits, NO_HITS } from "../rule-engine/compile.ts";
import { evaluateRules, listLookupValues, type Verdict } from "../rule-engine/evaluate.ts";
import type { ConditionField, EvaluationInput } from "../rule-engine/vocabulary.ts";
import type { Store } from "../store/store.ts";

/**
 * One evaluation of a rule set: the lists its in_list conditions name are looked up once (one
 * indexed query for every value the input has), then the rules run. Any error is caught and
 * answered as `failed`: the caller blocks with a retryable answer (fail closed).
 */
export type RuleCheck =
  /** No rule of the trigger is in force: nothing ran, nothing is recorded. */
  | { kind: "none" }
  | { kind: "verdict"; input: EvaluationInput; verdict: Verdict }
  | { kind: "failed"; input: EvaluationInput; error: unknown };

export function checkRules(store: Store, set: CompiledRuleSet, input: EvaluationInput): RuleCheck {
  if (set.rules.length === 0) return { kind: "none" };
  try {
    return { kind: "verdict", input, verdict: evaluateRules(set, input, listHits(store, set, input)) };
  } catch (error) {
    return { kind: "failed", input, error };
  }
}

/** For each field and each value the set's list conditions ask about: the set's lists that hold it. */
function listHits(store: Store, set: CompiledRuleSet, input: EvaluationInput): ListHits {
  const values = listLookupValues(set, input);
  if (values.length === 0) return NO_HITS;
  // Plain SQL on the statement cache: every inbound message with list rules asks it.
  const rows = store.read.$client
    .prepare("SELECT list_id, value FROM list_items WHERE value IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(values)) as { list_id: string; value: string }[];
  const byValue = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!set.listIds.has(r.list_id)) continue;
    const lists = byValue.get(r.value) ?? new Set<string>();
    lists.add(r.list_id);
    byValue.set(r.value, lists);
  }
  if (byValue.size === 0) return NO_HITS;
  const byField = new Map<ConditionField, Set<string>>();
  for (const field of set.listFields) {
    const lists = new Set<string>();
    for (const v of fieldValues(field, input)) for (const l of byValue.get(v) ?? []) lists.add(l);
    if (lists.size > 0) byField.set(field, lists);
  }
  return { byField, byValue };
}
