import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, or, sql } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import { type DomainRow, domains, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { generateDkimKeyPair } from "./dkim.ts";
import { notPlaceholder } from "./placeholder.ts";
import type { DomainDnsContext, VerificationType } from "./records.ts";

export const VERIFICATION_TYPES: readonly VerificationType[] = ["ownership", "mx", "spf", "dkim", "feedback"];

const VERIFIED_COLUMN = {
  ownership: "verifiedOwnership",
  mx: "verifiedMx",
  spf: "verifiedSpf",
  dkim: "verifiedDkim",
  feedback: "verifiedFeedback",
} as const satisfies Record<VerificationType, keyof DomainRow>;

export class DomainExistsError extends Error {}

export async function createDomain(
  store: Store,
  input: { applicationId: string; name: string; domainAddress: string; trial?: boolean },
): Promise<DomainRow> {
  const dkim = await generateDkimKeyPair();
  const now = nowSeconds();
  const trial = input.trial ?? false;
  const row: DomainRow = {
    id: newUuid(),
    applicationId: input.applicationId,
    name: input.name,
    domainAddress: input.domainAddress.toLowerCase(),
    region: "us",
    isTrial: trial,
    ownershipToken: randomBytes(24).toString("base64url"),
    dkimSelector: dkim.selector,
    dkimPrivateKey: dkim.privateKeyPem,
    dkimPublicKey: dkim.publicKeyBase64,
    // The trial domain needs no DNS: it is verified by definition.
    verifiedOwnership: trial,
    verifiedMx: trial,
    verifiedSpf: trial,
    verifiedDkim: trial,
    verifiedFeedback: trial,
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit(async (tx) => {
    const existing = await tx.query.domains.findFirst({
      where: eq(domains.domainAddress, row.domainAddress),
    });
    if (existing) throw new DomainExistsError(`domain ${row.domainAddress} is already registered`);
    await tx.insert(domains).values(row);
  });
  return row;
}

export async function findDomainByAddress(store: Store, address: string): Promise<DomainRow | null> {
  return (
    (await store.read.query.domains.findFirst({ where: eq(domains.domainAddress, address.toLowerCase()) })) ??
    null
  );
}

/** A domain of this application, by id or by its address (the SDK accepts both). */
export async function findOwnDomain(
  store: Store,
  applicationId: string,
  idOrAddress: string,
): Promise<DomainRow | null> {
  const row = await store.read.query.domains.findFirst({
    where: and(
      eq(domains.applicationId, applicationId),
      or(eq(domains.id, idOrAddress), eq(domains.domainAddress, idOrAddress.toLowerCase())),
      notPlaceholder(),
    ),
  });
  return row ?? null;
}

/** Page of an application's domains in creation order (rowid), after position `afterSeq`. */
export async function listDomains(
  store: Store,
  applicationId: string,
  limit: number,
  afterSeq: number,
): Promise<{ seq: number; domain: DomainRow }[]> {
  return store.read
    .select({ seq: sql<number>`rowid`, domain: domains })
    .from(domains)
    .where(and(eq(domains.applicationId, applicationId), gt(sql`rowid`, afterSeq), notPlaceholder()))
    .orderBy(asc(sql`rowid`))
    .limit(limit);
}

export async function renameDomain(store: Store, id: string, name: string): Promise<void> {
  await store.writer.submit((tx) =>
    tx.update(domains).set({ name, updatedAt: nowSeconds() }).where(eq(domains.id, id)),
  );
}

export async function countGrantsOnDomain(store: Store, domainId: string): Promise<number> {
  const [row] = await store.read.select({ n: count() }).from(grants).where(eq(grants.domainId, domainId));
  return row?.n ?? 0;
}

export async function deleteDomain(store: Store, id: string): Promise<void> {
  await store.writer.submit((tx) => tx.delete(domains).where(eq(domains.id, id)));
}

export async function markVerified(
  store: Store,
  id: string,
  kind: VerificationType,
  ok: boolean,
): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(domains)
      .set({ [VERIFIED_COLUMN[kind]]: ok, updatedAt: nowSeconds() })
      .where(eq(domains.id, id)),
  );
}

export function isVerified(row: DomainRow, kind: VerificationType): boolean {
  return row[VERIFIED_COLUMN[kind]];
}

/** Accounts can live on a domain once it is proven ours and routes mail to us. */
export function readyForAccounts(row: DomainRow): { ready: boolean; missing: VerificationType[] } {
  const missing = (["ownership", "mx"] as const).filter((k) => !isVerified(row, k));
  return { ready: missing.length === 0, missing };
}

export function dnsContext(row: DomainRow, mailHostname: string): DomainDnsContext {
  return {
    domainAddress: row.domainAddress,
    ownershipToken: row.ownershipToken,
    dkimSelector: row.dkimSelector,
    dkimPublicKeyBase64: row.dkimPublicKey,
    mailHostname,
  };
}
