import { DnsError, isNoRecordError } from "./dns-error.ts";
import { type DnsServerAddress, formatServerAddress } from "./server-address.ts";
import { queryServer, type UdpQueryOptions } from "./udp-client.ts";
import { RRTYPE, type RrType } from "./wire-query.ts";
import type { DnsResponse, MxAnswer } from "./wire-response.ts";

/** What node:dns `resolve(name, type)` returns per record type. */
export interface AnswerTypes {
  A: string;
  AAAA: string;
  CNAME: string;
  NS: string;
  PTR: string;
  MX: MxAnswer;
  TXT: string[];
}

const RCODE_ERRORS: Record<number, string> = { 1: "EFORMERR", 2: "ESERVFAIL", 4: "ENOTIMP", 5: "EREFUSED" };
const NXDOMAIN = 3;

/**
 * Resolves like node:dns `promises.resolve(name, type)`: the answers, or a DnsError coded
 * ENOTFOUND (NXDOMAIN), ENODATA (no records of that type), ETIMEOUT, ESERVFAIL, ...
 * Servers are tried in order until one gives a definite answer.
 */
export async function lookup<T extends RrType>(
  servers: DnsServerAddress[],
  name: string,
  type: T,
  options?: UdpQueryOptions,
): Promise<AnswerTypes[T][]> {
  let lastError: unknown = new DnsError("ECONNREFUSED", "no DNS server configured");
  for (const server of servers) {
    try {
      return answersOf(await queryServer(server, name, type, options), server, name, type);
    } catch (error) {
      if (isNoRecordError(error) || (error instanceof DnsError && error.code === "EBADNAME")) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

function answersOf<T extends RrType>(
  response: DnsResponse,
  server: DnsServerAddress,
  name: string,
  type: T,
): AnswerTypes[T][] {
  const from = `DNS server ${formatServerAddress(server)}`;
  if (response.rcode === NXDOMAIN) throw new DnsError("ENOTFOUND", `${name} does not exist (${from})`);
  if (response.rcode !== 0) {
    const code = RCODE_ERRORS[response.rcode] ?? "EBADRESP";
    throw new DnsError(code, `${from} answered ${code} to the ${type} query for ${name}`);
  }
  if (response.truncated) {
    throw new DnsError("EBADRESP", `${from} truncated its answer to the ${type} query for ${name}`);
  }
  // Only records of the asked type: a CNAME chain in front of them is skipped, as node:dns does.
  const values = response.answers.filter((answer) => answer.type === RRTYPE[type]).map((a) => a.value);
  const answers = values.filter((value) => value !== undefined) as AnswerTypes[T][];
  if (answers.length === 0) throw new DnsError("ENODATA", `no ${type} record for ${name} (${from})`);
  return answers;
}
