import type { ApiKeyRow, ApplicationRow, DomainRow, GrantRow } from "../../store/schema.ts";

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

/** Nylas domain object (reference §7.1). */
export function presentDomain(d: DomainRow) {
  return {
    id: d.id,
    name: d.name,
    domain_address: d.domainAddress,
    organization_id: d.applicationId,
    branded: d.isTrial,
    region: d.region,
    verified_ownership: d.verifiedOwnership,
    verified_dkim: d.verifiedDkim,
    verified_spf: d.verifiedSpf,
    verified_mx: d.verifiedMx,
    verified_feedback: d.verifiedFeedback,
    verified_dmarc: false,
    verified_arc: false,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function presentApplication(a: ApplicationRow) {
  return { id: a.id, name: a.name, default: a.isDefault, created_at: a.createdAt, updated_at: a.updatedAt };
}

export function presentApiKey(k: ApiKeyRow) {
  return {
    id: k.id,
    application_id: k.applicationId,
    name: k.name,
    prefix: k.keyPrefix,
    status: k.revokedAt ? "revoked" : "active",
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
  };
}
