import type { GrantRow } from "../store/schema.ts";

/** Nylas grant object (reference §2.2). The app password is never returned, not even hashed. */
export function presentGrant(g: GrantRow) {
  return {
    id: g.id,
    provider: g.provider,
    grant_status: g.grantStatus,
    email: g.email,
    name: g.name,
    scope: [],
    settings: JSON.parse(g.settingsJson) as Record<string, unknown>,
    workspace_id: g.workspaceId,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
    blocked: false,
    credential_id: null,
    provider_user_id: null,
    ip: null,
    user_agent: null,
    state: null,
    account_id: null,
    email_aliases: [],
  };
}
