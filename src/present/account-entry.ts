import type { AccountEntry } from "../guardrails/account-lists.ts";

/** An account allow/block list entry, in AgentMail's shape (agentbox has no pods: `grant_id` scopes it). */
export function presentAccountEntry(grantId: string, e: AccountEntry) {
  return {
    entry: e.entry,
    entry_type: e.entryType,
    direction: e.direction,
    list_type: e.listType,
    reason: e.reason,
    read_only: false,
    grant_id: grantId,
    created_at: e.createdAt,
  };
}
