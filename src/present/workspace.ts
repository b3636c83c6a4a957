import { workspaceRuleIds } from "../guardrails/workspaces.ts";
import type { WorkspaceRow } from "../store/schema.ts";

/** Nylas workspace object (reference §7.2): its id is `workspace_id`. */
export function presentWorkspace(w: WorkspaceRow) {
  return {
    workspace_id: w.id,
    application_id: w.applicationId,
    name: w.name,
    domain: w.domain,
    auto_group: w.autoGroup,
    default: w.isDefault,
    policy_id: w.policyId,
    rule_ids: workspaceRuleIds(w),
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}
