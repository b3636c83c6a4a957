import type { GrantRow } from "../store/schema.ts";
import { withoutNulls } from "./omit-null.ts";

/**
 * Nylas grant object (reference §2.2). The app password is never returned, not even hashed. The
 * fields an agent account has no value for (`credential_id`, `provider_user_id`, `ip`,
 * `user_agent`, `state`, `account_id`, and `name`/`workspace_id` when unset) are absent, as Nylas
 * sends them: its schema types them as strings, never null.
 */
export function presentGrant(g: GrantRow) {
  return withoutNulls({
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
    email_aliases: [],
  });
}
