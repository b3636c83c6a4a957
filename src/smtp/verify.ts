import type { DNSResolver } from "mailauth";
import { isNoRecordError } from "../dns/dns-error.ts";
import { sharedAuthPool } from "./auth-pool/pool.ts";
import { type AuthVerdict, unverified, type Verification, type VerifyInput } from "./auth-verdict.ts";

export type { AuthVerdict, Verification, VerifyInput };

/**
 * SPF, DKIM, DMARC and ARC (mailauth) on an auth-pool thread; DNS questions come back to
 * `input.resolver` here, so AGENTBOX_DNS_SERVER and the cache below serve them. A check that
 * fails or takes too long leaves the message unverified, never lost.
 */
export async function verifyMessage(raw: Uint8Array, input: VerifyInput): Promise<Verification> {
  try {
    return await sharedAuthPool().verify(raw, input);
  } catch (err) {
    return unverified(input.mta, err instanceof Error ? err.message : String(err));
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
