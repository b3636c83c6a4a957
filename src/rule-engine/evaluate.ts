import { type CompiledRuleSet, evaluationContext, fieldValues, type ListHits } from "./compile.ts";
import type { EvaluationInput, EvaluationStage } from "./vocabulary.ts";

/** Where a matched rule files the message (or the stored sent copy). */
export type Destination =
  | { kind: "junk" }
  | { kind: "trash" }
  | { kind: "archive" }
  /** assign_to_folder: a name or path, resolved when the message is stored; skipped if missing. */
  | { kind: "folder"; name: string };

/**
 * What the matched rules ask for, before anything is applied. Destinations are in the order of
 * the rules that named them: the first that exists wins. `block` is terminal: the rules after it
 * do not run.
 */
export interface Verdict {
  matchedRuleIds: string[];
  blocked: boolean;
  /** hold_for_review (outbound): parked in Review, not delivered until a person releases it. */
  held: boolean;
  destinations: Destination[];
  markRead: boolean;
  star: boolean;
}

export function noVerdict(): Verdict {
  return { matchedRuleIds: [], blocked: false, held: false, destinations: [], markRead: false, star: false };
}

/** Runs the rules in order against one input. Pure: the lists were looked up before. */
export function evaluateRules(set: CompiledRuleSet, input: EvaluationInput, hits: ListHits): Verdict {
  const verdict = noVerdict();
  const context = evaluationContext(input, hits);
  for (const rule of set.rules) {
    if (!rule.test(context)) continue;
    verdict.matchedRuleIds.push(rule.id);
    for (const action of rule.actions) {
      switch (action.type) {
        case "block":
          verdict.blocked = true;
          return verdict;
        case "mark_as_spam":
          verdict.destinations.push({ kind: "junk" });
          break;
        case "trash":
          verdict.destinations.push({ kind: "trash" });
          break;
        case "archive":
          verdict.destinations.push({ kind: "archive" });
          break;
        case "hold_for_review":
          verdict.held = true;
          break;
        case "assign_to_folder":
          if (action.value) verdict.destinations.push({ kind: "folder", name: action.value });
          break;
        case "mark_as_read":
          verdict.markRead = true;
          break;
        case "mark_as_starred":
          verdict.star = true;
          break;
      }
    }
  }
  return verdict;
}

/** The values the set's in_list conditions will ask about, for one look-up of the lists. */
export function listLookupValues(set: CompiledRuleSet, input: EvaluationInput): string[] {
  if (set.listIds.size === 0) return [];
  const values = new Set<string>();
  for (const field of set.listFields) for (const v of fieldValues(field, input)) values.add(v);
  return [...values];
}

/** An evaluation on its way to the unit that stores the message (which applies and records it). */
export interface RuleOutcome {
  stage: EvaluationStage;
  input: EvaluationInput;
  verdict: Verdict;
}
