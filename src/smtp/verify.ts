import { authenticate, type DNSResolver } from "mailauth";
import { isNoRecordError } from "../dns/dns-error.ts";

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

export interface VerifyInput {
  ip: string;
  helo: string;
  /** MAIL FROM; empty for the null sender. */
  sender: string;
  /** Our host name: the authserv-id of Authentication-Results. */
  mta: string;
  resolver: DNSResolver;
}

/** mailauth's checks, with the verdict reduced to what rules and the API need. */
export async function verifyMessage(raw: Uint8Array, input: VerifyInput): Promise<Verification> {
  try {
    const result = await authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
      ip: input.ip,
      helo: input.helo || input.ip,
      // SPF of the null sender is checked against the HELO name (RFC 7208 §2.4).
      sender: input.sender || `postmaster@${input.helo || input.ip}`,
      mta: input.mta,
      resolver: input.resolver,
      disableBimi: true,
    });
    const dmarc = result.dmarc;
    return {
      headers: result.headers,
      verdict: {
        spf: {
          result: result.spf ? result.spf.status.result : "none",
          domain: result.spf ? result.spf.domain : null,
        },
        // mailauth reports "no signature" as one result without a domain: that is an empty list here.
        dkim: (result.dkim.results ?? [])
          .filter((r) => r.signingDomain)
          .map((r) => ({
            result: r.status.result,
            domain: r.signingDomain ?? null,
            selector: r.selector ?? null,
            aligned: Boolean((r.status as { aligned?: unknown }).aligned),
          })),
        dmarc: dmarc
          ? {
              result: dmarc.status.result,
              domain: dmarc.domain ?? null,
              policy: dmarc.policy ?? dmarc.p ?? null,
            }
          : { result: "none", domain: null, policy: null },
        arc: { result: result.arc ? result.arc.status.result : "none" },
      },
    };
  } catch (err) {
    // A failure of the checker itself must not lose the message: it is stored as unverified.
    const reason = err instanceof Error ? err.message : String(err);
    return {
      headers: `Authentication-Results: ${input.mta}; none (verification failed: ${reason.replace(/[\r\n]+/g, " ").slice(0, 200)})\r\n`,
      verdict: {
        spf: { result: "temperror", domain: null },
        dkim: [],
        dmarc: { result: "temperror", domain: null, policy: null },
        arc: { result: "none" },
      },
    };
  }
}

/** DMARC failed and the domain asks receivers to reject (or quarantine) such mail. */
export function dmarcAsksForJunk(verdict: AuthVerdict): boolean {
  return (
    verdict.dmarc.result === "fail" &&
    (verdict.dmarc.policy === "reject" || verdict.dmarc.policy === "quarantine")
  );
}

/**
 * A resolver for mailauth that remembers answers (and "no such record") for `ttlMs`: a burst of
 * mail from one domain asks for its SPF, DKIM key and DMARC record once, not once per message.
 * Failures (timeouts, SERVFAIL) are not remembered.
 */
export function cachingResolver(inner: DNSResolver, ttlMs = 60_000, maxEntries = 10_000): DNSResolver {
  type Entry = { expires: number; value?: unknown; error?: unknown };
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<unknown>>();
  const remember = (key: string, entry: Entry) => {
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, entry);
  };
  const resolver = async (name: string, rrtype: string): Promise<unknown> => {
    const key = `${rrtype}:${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) {
      if (hit.error) throw hit.error;
      return hit.value;
    }
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const lookup = (async () => {
      try {
        const value = await inner(name, rrtype);
        remember(key, { expires: Date.now() + ttlMs, value });
        return value;
      } catch (error) {
        if (isNoRecordError(error) || (error as { code?: string }).code === "ENOTFOUND") {
          remember(key, { expires: Date.now() + ttlMs, error });
        }
        throw error;
      } finally {
        pending.delete(key);
      }
    })();
    pending.set(key, lookup);
    return lookup;
  };
  return resolver as DNSResolver;
}
