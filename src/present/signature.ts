import type { SignatureRow } from "../store/schema.ts";

/** Nylas's signature object. */
export function presentSignature(s: SignatureRow) {
  return {
    object: "signature",
    id: s.id,
    grant_id: s.grantId,
    name: s.name,
    body: s.body,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}
