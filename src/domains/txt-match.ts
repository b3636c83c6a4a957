import type { DomainDnsContext } from "./records.ts";

/** Whether one published TXT value satisfies the given check. */
export function txtMatches(
  kind: "ownership" | "spf" | "dkim",
  ctx: DomainDnsContext,
  value: string,
): boolean {
  switch (kind) {
    case "ownership":
      return value.trim() === `agentbox-ownership-verify=${ctx.ownershipToken}`;
    case "spf":
      return spfAuthorizes(value, ctx.mailHostname);
    case "dkim":
      return dkimPublicKey(value) === stripWhitespace(ctx.dkimPublicKeyBase64);
  }
}

export function isSpfRecord(value: string): boolean {
  return /^v=spf1(\s|$)/i.test(value.trim());
}

/**
 * Deliberately loose: an SPF record passes when a mechanism that does not fail names the mail
 * host (a:, mx:, include:, ...) or is a bare `mx`. Full SPF evaluation happens on real mail.
 */
function spfAuthorizes(record: string, mailHostname: string): boolean {
  if (!isSpfRecord(record)) return false;
  const host = mailHostname.toLowerCase();
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((term) => term.toLowerCase())
    .filter((term) => !/^[-~?]/.test(term)) // "-a:host" names the host to reject it
    .map((term) => term.replace(/^\+/, ""))
    .some((term) => /^mx(\/|$)/.test(term) || term.split(":")[1]?.split("/")[0] === host);
}

/** The p= tag of a DKIM key record, whitespace removed (RFC 6376 allows folding). */
function dkimPublicKey(record: string): string | undefined {
  for (const tag of record.split(";")) {
    const [name, ...value] = tag.split("=");
    if (name?.trim() === "p") return stripWhitespace(value.join("="));
  }
  return undefined;
}

function stripWhitespace(text: string): string {
  return text.replace(/\s+/g, "");
}
