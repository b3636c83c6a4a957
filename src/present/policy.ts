import { policyFields } from "../guardrails/policies.ts";
import type { PolicyRow } from "../store/schema.ts";

/** Nylas policy object (reference §7.3). There are no organizations here: organization_id is the application. */
export function presentPolicy(p: PolicyRow) {
  const f = policyFields(p);
  return {
    id: p.id,
    name: f.name,
    application_id: p.applicationId,
    organization_id: p.applicationId,
    limits: f.limits,
    spam_detection: f.spamDetection,
    options: f.options,
    rules: f.ruleIds,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
