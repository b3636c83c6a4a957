import { getServers } from "node:dns";
import type { DNSResolver } from "mailauth";
import { DnsError, isNoRecordError } from "./dns-error.ts";
import { type AnswerTypes, lookup } from "./lookup.ts";
import { type DnsServerAddress, parseServerAddress } from "./server-address.ts";
import type { UdpQueryOptions } from "./udp-client.ts";
import { isRrType, type RrType } from "./wire-query.ts";

/** DNS look-ups for domain checks. "No such record" (NXDOMAIN, NODATA) is an empty list; failures throw. */
export interface DnsResolver {
  /** One string per TXT record, its character-strings joined. */
  txt(name: string): Promise<string[]>;
  /** Sorted by priority, lowest first. */
  mx(name: string): Promise<{ exchange: string; priority: number }[]>;
  a(name: string): Promise<string[]>;
  aaaa(name: string): Promise<string[]>;
}

// Bun 1.4's node:dns honours "host:port" servers, but returns each TXT character-string as a
// record of its own (a DKIM key split into 255-byte strings becomes several "records") and
// reports NODATA as ENOTFOUND. Hence the own UDP client.
class UdpResolver implements DnsResolver {
  readonly #servers: DnsServerAddress[];
  readonly #options: UdpQueryOptions | undefined;

  constructor(servers: DnsServerAddress[], options?: UdpQueryOptions) {
    this.#servers = servers;
    this.#options = options;
  }

  /** node:dns semantics: throws DnsError ENOTFOUND/ENODATA when there is no record. */
  resolve<T extends RrType>(name: string, type: T): Promise<AnswerTypes[T][]> {
    return lookup(this.#servers, name, type, this.#options);
  }

  async txt(name: string): Promise<string[]> {
    return (await this.#orNone(name, "TXT")).map((strings) => strings.join(""));
  }

  async mx(name: string): Promise<{ exchange: string; priority: number }[]> {
    return (await this.#orNone(name, "MX")).sort((x, y) => x.priority - y.priority);
  }

  a(name: string): Promise<string[]> {
    return this.#orNone(name, "A");
  }

  aaaa(name: string): Promise<string[]> {
    return this.#orNone(name, "AAAA");
  }

  async #orNone<T extends RrType>(name: string, type: T): Promise<AnswerTypes[T][]> {
    try {
      return await this.resolve(name, type);
    } catch (error) {
      if (isNoRecordError(error)) return [];
      throw error;
    }
  }
}

/**
 * `server` is "host:port" (as in AGENTBOX_DNS_SERVER); without it the system's name servers are
 * used. `options` tunes the per-attempt timeout and attempt count (default 2000 ms, 2 attempts).
 */
export function createResolver(server?: string, options?: UdpQueryOptions): DnsResolver {
  const servers = server === undefined ? systemServers() : [parseServerAddress(server)];
  return new UdpResolver(servers, options);
}

function systemServers(): DnsServerAddress[] {
  const servers = getServers().map(parseServerAddress);
  return servers.length > 0 ? servers : [{ host: "127.0.0.1", port: 53 }];
}

/**
 * The function mailauth's `resolver` option expects: it answers like node:dns
 * `promises.resolve(name, rrtype)`, including ENOTFOUND/ENODATA errors, so mailauth's SPF, DKIM
 * and DMARC checks ask the same server as everything else.
 */
export function mailauthResolver(resolver: DnsResolver | string | undefined): DNSResolver {
  const target = typeof resolver === "object" ? resolver : createResolver(resolver);
  if (target instanceof UdpResolver) {
    // mailauth's declared type leaves out MX answers, which it does use.
    return async (name, rrtype) => (await target.resolve(name, toRrType(rrtype))) as string[][] | string[];
  }
  return async (name, rrtype) => {
    const answers = await answersOf(target, name, rrtype);
    // Another DnsResolver cannot tell NXDOMAIN from NODATA; NODATA is the cautious reading.
    if (answers.length === 0) throw new DnsError("ENODATA", `no ${rrtype} record for ${name}`);
    return answers as string[][] | string[];
  };
}

async function answersOf(resolver: DnsResolver, name: string, rrtype: string): Promise<unknown[]> {
  switch (toRrType(rrtype)) {
    case "TXT":
      return (await resolver.txt(name)).map((record) => [record]);
    case "MX":
      return resolver.mx(name);
    case "A":
      return resolver.a(name);
    case "AAAA":
      return resolver.aaaa(name);
    default:
      throw new DnsError("ENOTIMP", `this resolver cannot look up ${rrtype} records`);
  }
}

function toRrType(rrtype: string): RrType {
  if (isRrType(rrtype)) return rrtype;
  throw new DnsError("ENOTIMP", `${rrtype} look-ups are not supported`);
}
