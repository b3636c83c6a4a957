import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import { type ApiKeyRow, apiKeys } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** API keys are 256-bit random tokens: a SHA-256 is enough to store them (bcrypt is for passwords). */
export function generateApiKey(): string {
  return `abx_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** The plain key: shown once, never stored. */
  key: string;
}

export async function createApiKey(
  store: Store,
  applicationId: string,
  name: string,
  key = generateApiKey(),
  fromEnv = false,
  /** Unix seconds after which the key no longer authenticates; null: never. */
  expiresAt: number | null = null,
): Promise<CreatedKey> {
  const row: ApiKeyRow = {
    id: newUuid(),
    applicationId,
    name,
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 8),
    fromEnv,
    createdAt: nowSeconds(),
    revokedAt: null,
    expiresAt,
  };
  await store.writer.submit((tx) => tx.insert(apiKeys).values(row));
  return { row, key };
}

export function listApiKeys(store: Store, applicationId: string): Promise<ApiKeyRow[]> {
  return store.read
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.applicationId, applicationId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function findApiKey(store: Store, id: string): Promise<ApiKeyRow | null> {
  return (await store.read.query.apiKeys.findFirst({ where: eq(apiKeys.id, id) })) ?? null;
}

export async function revokeApiKey(store: Store, id: string): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: nowSeconds() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
  );
}

/**
 * Resolves a presented key to its live row (not revoked, not expired). The lookup is by hash (an
 * index seek reveals nothing about the key); the final comparison is constant-time anyway.
 */
export async function findLiveKey(store: Store, presented: string): Promise<ApiKeyRow | null> {
  const hash = hashApiKey(presented);
  const row = await store.read.query.apiKeys.findFirst({
    where: and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)),
  });
  if (!row || (row.expiresAt !== null && row.expiresAt <= nowSeconds())) return null;
  const a = Buffer.from(row.keyHash, "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b) ? row : null;
}
