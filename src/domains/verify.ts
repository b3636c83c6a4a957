import type { DnsResolver } from "../dns/resolver.ts";
import {
  type DomainDnsContext,
  type ExpectedRecord,
  expectedRecord,
  type VerificationType,
} from "./records.ts";
import { isSpfRecord, txtMatches } from "./txt-match.ts";

export interface VerificationOutcome {
  ok: boolean;
  /** A sentence the operator can act on. */
  message: string;
  /** The records published at the host: TXT values, or MX as "priority exchange". */
  found: string[];
}

interface Published {
  found: string[];
  /** The found entry that satisfies the check, if any. */
  match: string | undefined;
}

/** Looks the record up and says whether it is published as required. Never throws. */
export async function verifyRecord(
  kind: VerificationType,
  ctx: DomainDnsContext,
  resolver: DnsResolver,
): Promise<VerificationOutcome> {
  const expected = expectedRecord(kind, ctx);
  let published: Published;
  try {
    published = await lookUp(kind, ctx, expected, resolver);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Could not look up the ${expected.type} records at ${expected.host}: ${reason}. Try again later.`;
    return { ok: false, message, found: [] };
  }
  return { ...judge(kind, ctx, expected, published), found: published.found };
}

async function lookUp(
  kind: VerificationType,
  ctx: DomainDnsContext,
  expected: ExpectedRecord,
  resolver: DnsResolver,
): Promise<Published> {
  if (kind === "mx" || kind === "feedback") {
    const records = await resolver.mx(expected.host);
    const found = records.map((record) => `${record.priority} ${record.exchange}`);
    const index = records.findIndex((record) => sameHost(record.exchange, expected.value));
    return { found, match: found[index] };
  }
  const found = await resolver.txt(expected.host);
  return { found, match: found.find((value) => txtMatches(kind, ctx, value)) };
}

function judge(
  kind: VerificationType,
  ctx: DomainDnsContext,
  expected: ExpectedRecord,
  { found, match }: Published,
): { ok: boolean; message: string } {
  const spfRecords = kind === "spf" ? found.filter(isSpfRecord) : [];
  if (spfRecords.length > 1) {
    // RFC 7208 4.5: several SPF records are a permanent error, so receivers would ignore ours.
    const message = `Found ${spfRecords.length} SPF records at ${expected.host} (${quoteAll(spfRecords)}); merge them into one.`;
    return { ok: false, message };
  }
  if (match !== undefined) return { ok: true, message: successMessage(kind, expected, match) };
  const wanted = describeExpected(kind, ctx, expected);
  if (found.length === 0) {
    return { ok: false, message: `No ${expected.type} record found at ${expected.host}. Add ${wanted}.` };
  }
  return { ok: false, message: `Expected ${wanted}, but found: ${quoteAll(found)}.` };
}

function successMessage(kind: VerificationType, expected: ExpectedRecord, match: string): string {
  switch (kind) {
    case "ownership":
      return `Ownership TXT record found at ${expected.host}.`;
    case "spf":
      return `SPF record found at ${expected.host}: "${match}".`;
    case "dkim":
      return `DKIM key record found at ${expected.host}.`;
    case "mx":
    case "feedback": {
      const [priority, exchange] = match.split(" ");
      return `MX record found: ${expected.host} → ${exchange} (priority ${priority}).`;
    }
  }
}

function describeExpected(kind: VerificationType, ctx: DomainDnsContext, expected: ExpectedRecord): string {
  const at = `${expected.type === "MX" ? "an" : "a"} ${expected.type} record at ${expected.host}`;
  if (expected.type === "MX") return `${at} pointing to ${expected.value} with priority ${expected.priority}`;
  if (kind === "spf") {
    return `${at} authorizing ${ctx.mailHostname} (a:${ctx.mailHostname} or mx), such as "${expected.value}"`;
  }
  return `${at} with the value "${expected.value}"`;
}

// DKIM keys are long; a message lists the start of each value.
function quoteAll(values: string[]): string {
  return values.map((value) => `"${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`).join(", ");
}

function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}
