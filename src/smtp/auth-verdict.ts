import type { DNSResolver } from "mailauth";

/**
 * What the MX found about a message's origin (SPF, DKIM, DMARC, ARC), as kept on the stored
 * message and shown as `authentication` in the API message object (docs/api.md).
 */
export interface AuthVerdict {
  spf: { result: string; domain: string | null };
  dkim: { result: string; domain: string | null; selector: string | null; aligned: boolean }[];
  dmarc: { result: string; domain: string | null; policy: string | null };
  arc: { result: string };
}

export interface Verification {
  verdict: AuthVerdict;
  /** `Received-SPF` and `Authentication-Results` fields, CRLF-terminated, to prepend. */
  headers: string;
}

/** What the checks need besides the message; `resolver` answers on the thread that owns it. */
export interface VerifyInput {
  ip: string;
  helo: string;
  /** MAIL FROM; empty for the null sender. */
  sender: string;
  /** Our host name: the authserv-id of Authentication-Results. */
  mta: string;
  resolver: DNSResolver;
}

/** A message whose checks could not run (the checker failed or took too long): stored as unverified. */
export function unverified(mta: string, reason: string): Verification {
  return {
    headers: `Authentication-Results: ${mta}; none (verification failed: ${reason.replace(/[\r\n]+/g, " ").slice(0, 200)})\r\n`,
    verdict: {
      spf: { result: "temperror", domain: null },
      dkim: [],
      dmarc: { result: "temperror", domain: null, policy: null },
      arc: { result: "none" },
    },
  };
}
