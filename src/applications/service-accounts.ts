import { and, desc, eq, isNull } from "drizzle-orm";
import { createServiceAccountKey, type ServiceAccountCredentials } from "../auth/service-account.ts";
import { nowSeconds } from "../ids.ts";
import { serviceAccounts } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export type ServiceAccountRow = typeof serviceAccounts.$inferSelect;

/** Registers a new RSA key pair; the private half is returned once and never stored. */
export async function createServiceAccount(
  store: Store,
  applicationId: string,
): Promise<{ row: ServiceAccountRow; credentials: ServiceAccountCredentials }> {
  const key = await createServiceAccountKey({ applicationId });
  const row: ServiceAccountRow = {
    id: key.privateKeyId,
    applicationId,
    publicKeyPem: key.publicKeyPem,
    createdAt: nowSeconds(),
    revokedAt: null,
  };
  await store.writer.submit((tx) => tx.insert(serviceAccounts).values(row));
  return { row, credentials: key.credentials };
}

export function listServiceAccounts(store: Store, applicationId: string): Promise<ServiceAccountRow[]> {
  return store.read
    .select()
    .from(serviceAccounts)
    .where(eq(serviceAccounts.applicationId, applicationId))
    .orderBy(desc(serviceAccounts.createdAt));
}

export async function findServiceAccount(store: Store, id: string): Promise<ServiceAccountRow | null> {
  return (await store.read.query.serviceAccounts.findFirst({ where: eq(serviceAccounts.id, id) })) ?? null;
}

export async function revokeServiceAccount(store: Store, id: string): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(serviceAccounts)
      .set({ revokedAt: nowSeconds() })
      .where(and(eq(serviceAccounts.id, id), isNull(serviceAccounts.revokedAt))),
  );
}
