import { and, asc, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { compiledReads } from "../store/compiled-reads.ts";
import { type GrantRow, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * A grant as the API names it: its UUID, its email, or the prefixed forms `grant:<id>` and
 * `email:<email>` (reference §1.4).
 */
export async function findGrant(store: Store, applicationId: string, ref: string): Promise<GrantRow | null> {
  let where: SQL | undefined;
  if (ref.startsWith("grant:")) where = eq(grants.id, ref.slice(6));
  else if (ref.startsWith("email:")) where = eq(grants.email, ref.slice(6).toLowerCase());
  else if (ref.includes("@")) where = eq(grants.email, ref.toLowerCase());
  else where = eq(grants.id, ref);
  const row = await store.read.query.grants.findFirst({
    where: and(where, eq(grants.applicationId, applicationId)),
  });
  return row ?? null;
}

const queries = compiledReads((db) => ({
  byEmail: db
    .select()
    .from(grants)
    .where(and(eq(grants.email, sql.placeholder("email")), eq(grants.provider, "nylas")))
    .prepare(),
  anyByEmail: db
    .select()
    .from(grants)
    .where(eq(grants.email, sql.placeholder("email")))
    .prepare(),
  storageUsage: db
    .select({ usedBytes: grants.storageUsedBytes, quotaBytes: grants.storageQuotaBytes })
    .from(grants)
    .where(eq(grants.id, sql.placeholder("grantId")))
    .prepare(),
}));

/**
 * The agent account hosted here with this address (any application's), or null: a connected
 * account's address is its provider's, whose mail goes there. Compiled once per store: it runs
 * at every MX RCPT TO, SMTP login and send recipient, and building the query each time cost the
 * MX ~14 % of its time (bench/smtp.ts profile).
 */
export function findGrantByEmail(store: Store, email: string): GrantRow | null {
  return queries(store).byEmail.get({ email: email.toLowerCase() }) ?? null;
}

/** The grant with this address, hosted or connected (the address is unique across both). */
export function findAnyGrantByEmail(store: Store, email: string): GrantRow | null {
  return queries(store).anyByEmail.get({ email: email.toLowerCase() }) ?? null;
}

/**
 * The grant's current password version, or null when the grant is gone. IMAP sessions call it
 * before every command to notice a rotated password, so it is plain SQL on the connection's
 * statement cache (~3.5 µs): drizzle's compiled query costs half as much again (bench/imap.ts).
 */
export function passwordVersion(store: Store, grantId: string): number | null {
  const statement = store.read.$client.prepare("SELECT password_version AS v FROM grants WHERE id = ?");
  const row = statement.get(grantId) as { v: number } | null;
  return row ? row.v : null;
}

export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
}

export function storageUsage(store: Store, grantId: string): StorageUsage | null {
  return queries(store).storageUsage.get({ grantId }) ?? null;
}

export interface GrantQuery {
  limit: number;
  offset: number;
  sortBy: "created_at" | "updated_at";
  orderBy: "asc" | "desc";
  since?: number;
  before?: number;
  email?: string;
  grantStatus?: string;
  provider?: string;
  workspaceId?: string;
}

export function listGrants(store: Store, applicationId: string, q: GrantQuery): Promise<GrantRow[]> {
  const conditions: SQL[] = [eq(grants.applicationId, applicationId)];
  if (q.since !== undefined) conditions.push(gte(grants.createdAt, q.since));
  if (q.before !== undefined) conditions.push(lte(grants.createdAt, q.before));
  if (q.email) conditions.push(eq(grants.email, q.email.toLowerCase()));
  if (q.grantStatus) conditions.push(eq(grants.grantStatus, q.grantStatus));
  if (q.provider) conditions.push(eq(grants.provider, q.provider));
  if (q.workspaceId) conditions.push(eq(grants.workspaceId, q.workspaceId));
  const column = q.sortBy === "updated_at" ? grants.updatedAt : grants.createdAt;
  // rowid breaks ties within a second in true creation order.
  const order = q.orderBy === "asc" ? [asc(column), asc(sql`rowid`)] : [desc(column), desc(sql`rowid`)];
  return store.read
    .select()
    .from(grants)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(q.limit)
    .offset(q.offset);
}
