import type { CompiledRuleSet } from "../rule-engine/compile.ts";
import { placeVerdict } from "../rule-engine/placement.ts";
import type {
  AppliedActions,
  EvaluationInput,
  EvaluationStage,
  RuleTrigger,
} from "../rule-engine/vocabulary.ts";
import type { Store } from "../store/store.ts";
import { checkRules } from "./rule-check.ts";

/** What a rule set would do with a message: the engine's answer, nothing applied or recorded. */
export interface DryRun {
  trigger: RuleTrigger;
  stage: EvaluationStage;
  input: EvaluationInput;
  /** Every rule that ran, in order, and whether it matched. */
  rules: { id: string; matched: boolean }[];
  matchedRuleIds: string[];
  wouldApply: AppliedActions & { folder_id?: string; folder?: string };
}

/**
 * Runs the rules as the surfaces would (the same engine, the same list look-up), then places the
 * verdict: among the account's folders when one is named, else by the destination's name.
 * Throws when the evaluation fails (a surface would fail closed).
 */
export function dryRun(
  store: Store,
  set: CompiledRuleSet,
  input: EvaluationInput,
  folders: ReadonlyMap<string, { id: string; name: string }> | null,
): DryRun {
  const check = checkRules(store, set, input);
  if (check.kind === "failed") throw check.error;
  const stage: EvaluationStage = set.trigger === "inbound" ? "inbox_processing" : "outbound_send";
  const matched = check.kind === "verdict" ? check.verdict.matchedRuleIds : [];
  const base = {
    trigger: set.trigger,
    stage,
    input,
    matchedRuleIds: matched,
    rules: set.rules.map((r) => ({ id: r.id, matched: matched.includes(r.id) })),
  };
  if (check.kind !== "verdict") return { ...base, wouldApply: {} };
  const { verdict } = check;
  if (verdict.blocked) return { ...base, wouldApply: { blocked: true } };
  const defaultFolder = set.trigger === "inbound" ? "inbox" : "sent";
  const held = verdict.held ? { held_for_review: true as const } : {};
  if (folders) {
    const placed = placeVerdict(verdict, folders, defaultFolder);
    return { ...base, wouldApply: { ...placed.applied, ...held, folder_id: placed.folderId } };
  }
  const first = verdict.destinations[0];
  return {
    ...base,
    wouldApply: {
      ...(first?.kind === "junk" && { marked_as_spam: true as const }),
      ...(first?.kind === "trash" && { trashed: true as const }),
      ...(first?.kind === "archive" && { archived: true as const }),
      ...(verdict.markRead && { marked_as_read: true as const }),
      ...(verdict.star && { marked_starred: true as const }),
      ...held,
      folder: first ? (first.kind === "folder" ? first.name : first.kind) : defaultFolder,
    },
  };
}
