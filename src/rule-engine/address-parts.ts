import type { EvaluationInput, OutboundType } from "./vocabulary.ts";

/** An address as rules see it: trimmed, lower-case, with its domain and top-level domain. */
export interface AddressParts {
  address: string;
  domain: string;
  tld: string;
}

export function addressParts(email: string | null | undefined): AddressParts {
  const address = (email ?? "").trim().toLowerCase();
  const at = address.lastIndexOf("@");
  const domain = at < 0 ? "" : address.slice(at + 1).replace(/\.$/, "");
  const dot = domain.lastIndexOf(".");
  const tld = dot < 0 ? domain : domain.slice(dot + 1);
  return { address, domain, tld };
}

/** The evaluation input of a message from `sender` to `recipients` (unique, in order). */
export function evaluationInput(
  sender: string | null | undefined,
  recipients: readonly string[] = [],
  outboundType?: OutboundType,
): EvaluationInput {
  const from = addressParts(sender);
  const parts = recipients.map(addressParts).filter((p) => p.address !== "");
  const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ""))];
  return {
    fromAddress: from.address,
    fromDomain: from.domain,
    fromTld: from.tld,
    recipientAddresses: unique(parts.map((p) => p.address)),
    recipientDomains: unique(parts.map((p) => p.domain)),
    recipientTlds: unique(parts.map((p) => p.tld)),
    ...(outboundType && { outboundType }),
  };
}
