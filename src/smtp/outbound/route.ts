import { isIP } from "node:net";
import type { RelayConfig } from "../../config/smtp.ts";
import type { DnsResolver } from "../../dns/resolver.ts";
import { DeliveryFailure } from "./failure.ts";

/** One SMTP server to try, in order. */
export interface Hop {
  /** The host name (for TLS SNI and the Remote-MTA of a bounce). */
  name: string;
  /** The IP address to connect to (resolved through AGENTBOX_DNS_SERVER, not the system resolver). */
  address: string;
  port: number;
  /** Implicit TLS (smtps:// relay); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Relay credentials. Sent only over TLS. */
  auth: { user: string; pass: string } | null;
  /** Verify the server's certificate (an authenticated relay); MX delivery is opportunistic. */
  verifyTls: boolean;
}

/**
 * Where mail for `domain` goes: the relay when one is configured; else the domain's MX hosts,
 * lowest preference first (equal preferences shuffled), each host's A then AAAA addresses; a
 * domain without MX records is its own mail host (RFC 5321 §5.1). A null MX (RFC 7505) or no host
 * at all is a permanent failure; a DNS failure is temporary.
 */
export async function routeFor(
  domain: string,
  opts: { relay: RelayConfig | null; resolver: DnsResolver; port: number },
): Promise<Hop[]> {
  const { relay, resolver, port } = opts;
  if (relay) {
    const addresses = isIP(relay.host) ? [relay.host] : await addressesOf(resolver, relay.host, true);
    if (addresses.length === 0) {
      throw new DeliveryFailure("temporary", "4.4.4", `the relay ${relay.host} has no address`);
    }
    return addresses.map((address) => ({
      name: relay.host,
      address,
      port: relay.port,
      secure: relay.secure,
      auth: relay.auth,
      verifyTls: relay.secure || relay.auth !== null,
    }));
  }
  const literal = /^\[(.+)\]$/.exec(domain)?.[1];
  if (literal && isIP(literal)) return [hop(literal, literal, port)];
  const mx = await lookup(() => resolver.mx(domain), `MX of ${domain}`);
  if (mx.length === 1 && (mx[0]?.exchange === "" || mx[0]?.exchange === ".")) {
    throw new DeliveryFailure("permanent", "5.1.10", `${domain} accepts no mail (null MX record)`);
  }
  const hosts = mx.length > 0 ? byPreference(mx).map((m) => m.exchange.replace(/\.$/, "")) : [domain];
  const hops: Hop[] = [];
  let lookupError: DeliveryFailure | null = null;
  for (const host of hosts) {
    try {
      for (const address of await addressesOf(resolver, host, mx.length > 0))
        hops.push(hop(host, address, port));
    } catch (err) {
      lookupError = err instanceof DeliveryFailure ? err : lookupError;
    }
  }
  if (hops.length > 0) return hops;
  if (lookupError) throw lookupError;
  throw new DeliveryFailure(
    "permanent",
    "5.1.2",
    mx.length > 0
      ? `the mail hosts of ${domain} (${hosts.join(", ")}) have no address`
      : `${domain} has no MX record and no address: no such mail domain`,
  );
}

function hop(name: string, address: string, port: number): Hop {
  return { name, address, port, secure: false, auth: null, verifyTls: false };
}

/** Lowest preference first; hosts of equal preference in random order (RFC 5321 §5.1). */
function byPreference<T extends { priority: number }>(records: T[]): T[] {
  return records
    .map((r) => ({ r, tie: Math.random() }))
    .sort((x, y) => x.r.priority - y.r.priority || x.tie - y.tie)
    .map((x) => x.r);
}

async function addressesOf(resolver: DnsResolver, host: string, tolerant: boolean): Promise<string[]> {
  if (isIP(host)) return [host];
  const [v4, v6] = await Promise.all([
    lookup(() => resolver.a(host), `A of ${host}`),
    lookup(() => resolver.aaaa(host), `AAAA of ${host}`).catch((err) => {
      if (tolerant) return [] as string[];
      throw err;
    }),
  ]);
  return [...v4, ...v6];
}

async function lookup<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DeliveryFailure("temporary", "4.4.3", `DNS look-up failed (${what}): ${reason}`);
  }
}
