import { ruleFields } from "../guardrails/rules.ts";
import type { RuleRow } from "../store/schema.ts";

/** Nylas rule object (reference §7.4). */
export function presentRule(r: RuleRow) {
  const f = ruleFields(r);
  return {
    id: r.id,
    name: f.name,
    ...(f.description !== null && { description: f.description }),
    priority: f.priority,
    enabled: f.enabled,
    trigger: f.trigger,
    match: f.match,
    actions: f.actions,
    application_id: r.applicationId,
    organization_id: r.applicationId,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
