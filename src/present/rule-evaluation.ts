import type { DryRun } from "../guardrails/dry-run.ts";
import type { AppliedActions, EvaluationInput } from "../rule-engine/vocabulary.ts";
import type { RuleEvaluationRow } from "../store/schema.ts";

/** Nylas rule-evaluation record (reference §7.5): `message_id` is omitted when nothing was stored. */
export function presentRuleEvaluation(e: RuleEvaluationRow) {
  const input = JSON.parse(e.inputJson) as EvaluationInput;
  return {
    id: e.id,
    grant_id: e.grantId,
    ...(e.messageId !== null && { message_id: e.messageId }),
    evaluated_at: e.evaluatedAt,
    evaluation_stage: e.stage,
    evaluation_input: presentInput(input),
    applied_actions: JSON.parse(e.appliedJson) as AppliedActions,
    matched_rule_ids: JSON.parse(e.matchedRuleIdsJson) as string[],
    application_id: e.applicationId,
    organization_id: e.applicationId,
    created_at: e.evaluatedAt,
    updated_at: e.evaluatedAt,
  };
}

/** The wire's evaluation_input (also what the dry run answers). */
export function presentInput(input: EvaluationInput) {
  return {
    from_address: input.fromAddress,
    from_domain: input.fromDomain,
    from_tld: input.fromTld,
    recipient_addresses: input.recipientAddresses,
    recipient_domains: input.recipientDomains,
    recipient_tlds: input.recipientTlds,
    ...(input.outboundType && { outbound_type: input.outboundType }),
  };
}

/** POST /v3/rules/evaluate's answer (agentbox): what the rules would do, nothing applied or recorded. */
export function presentDryRun(r: DryRun) {
  return {
    trigger: r.trigger,
    evaluation_stage: r.stage,
    evaluation_input: presentInput(r.input),
    matched_rule_ids: r.matchedRuleIds,
    rules: r.rules,
    would_apply: r.wouldApply,
  };
}
