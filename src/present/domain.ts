import type { DomainRow } from "../store/schema.ts";

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
