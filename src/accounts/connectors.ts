import { and, asc, eq } from "drizzle-orm";
import { nowSeconds } from "../ids.ts";
import { connectors } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export type ConnectorRow = typeof connectors.$inferSelect;

export class ConnectorExistsError extends Error {}

/** Connectors only record that an application uses a provider; the Nylas CLI checks for one. */
export async function createConnector(
  store: Store,
  applicationId: string,
  provider: string,
  name: string,
  settings: Record<string, unknown>,
): Promise<ConnectorRow> {
  const now = nowSeconds();
  const row: ConnectorRow = {
    applicationId,
    provider,
    name,
    settingsJson: JSON.stringify(settings),
    scopeJson: "[]",
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit(async (tx) => {
    const existing = await tx.query.connectors.findFirst({
      where: and(eq(connectors.applicationId, applicationId), eq(connectors.provider, provider)),
    });
    if (existing) throw new ConnectorExistsError(`a ${provider} connector already exists`);
    await tx.insert(connectors).values(row);
  });
  return row;
}

export function listConnectors(store: Store, applicationId: string): Promise<ConnectorRow[]> {
  return store.read
    .select()
    .from(connectors)
    .where(eq(connectors.applicationId, applicationId))
    .orderBy(asc(connectors.createdAt));
}

export async function findConnector(store: Store, applicationId: string, provider: string) {
  return (
    (await store.read.query.connectors.findFirst({
      where: and(eq(connectors.applicationId, applicationId), eq(connectors.provider, provider)),
    })) ?? null
  );
}

export async function deleteConnector(store: Store, applicationId: string, provider: string): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .delete(connectors)
      .where(and(eq(connectors.applicationId, applicationId), eq(connectors.provider, provider))),
  );
}

/** PATCH /v3/connectors/{provider}: `settings` and `scope`, each replaced whole when given. */
export async function updateConnector(
  store: Store,
  applicationId: string,
  provider: string,
  changes: { settings?: Record<string, unknown>; scope?: string[] },
): Promise<ConnectorRow | null> {
  await store.writer.submit((tx) =>
    tx
      .update(connectors)
      .set({
        ...(changes.settings && { settingsJson: JSON.stringify(changes.settings) }),
        ...(changes.scope && { scopeJson: JSON.stringify(changes.scope) }),
        updatedAt: nowSeconds(),
      })
      .where(and(eq(connectors.applicationId, applicationId), eq(connectors.provider, provider))),
  );
  return findConnector(store, applicationId, provider);
}
