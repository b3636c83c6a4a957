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
