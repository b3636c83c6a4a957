import type { ApiKeyRow, ApplicationRow } from "../store/schema.ts";

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

/**
 * An API key as Nylas's admin API shows it (/v3/admin/applications/{id}/api-keys): `api_key`
 * only on create. agentbox keys carry no scopes: `permissions` is empty (a key may do anything its
 * application may).
 */
export function presentNylasApiKey(k: ApiKeyRow, nowS: number, plainKey?: string) {
  return {
    id: k.id,
    name: k.name,
    application_id: k.applicationId,
    status: k.revokedAt ? "revoked" : k.expiresAt !== null && k.expiresAt <= nowS ? "expired" : "active",
    permissions: [],
    created_at: k.createdAt,
    updated_at: k.revokedAt ?? k.createdAt,
    ...(k.expiresAt !== null && { expires_at: k.expiresAt }),
    ...(plainKey !== undefined && { api_key: plainKey }),
  };
}

/**
 * Nylas's application object (GET/PATCH /v3/applications): ids and region fixed by this server,
 * the settings PATCH stored, and (agentbox) the application's `name`.
 */
export function presentApplicationObject(a: ApplicationRow) {
  const settings = JSON.parse(a.settingsJson) as Record<string, unknown>;
  return {
    application_id: a.id,
    organization_id: a.id,
    region: "us",
    environment: "production",
    name: a.name,
    ...settings,
  };
}
