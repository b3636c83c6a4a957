import { asc, eq } from "drizzle-orm";
import { newUuid, nowSeconds } from "../ids.ts";
import { type ApplicationRow, applications } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export async function createApplication(
  store: Store,
  name: string,
  isDefault = false,
): Promise<ApplicationRow> {
  const now = nowSeconds();
  const row: ApplicationRow = {
    id: newUuid(),
    name,
    isDefault,
    settingsJson: "{}",
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit((tx) => tx.insert(applications).values(row));
  return row;
}

export function listApplications(store: Store): Promise<ApplicationRow[]> {
  return store.read.select().from(applications).orderBy(asc(applications.createdAt));
}

export async function findApplication(store: Store, id: string): Promise<ApplicationRow | null> {
  return (await store.read.query.applications.findFirst({ where: eq(applications.id, id) })) ?? null;
}

export async function findDefaultApplication(store: Store): Promise<ApplicationRow | null> {
  return (await store.read.query.applications.findFirst({ where: eq(applications.isDefault, true) })) ?? null;
}

/**
 * PATCH /v3/applications: the settings Nylas's application object carries (branding, hosted
 * authentication, callback URIs), each given object replacing the stored one whole.
 */
export async function updateApplicationSettings(
  store: Store,
  id: string,
  changes: Record<string, unknown>,
): Promise<ApplicationRow | null> {
  await store.writer.submit(async (tx) => {
    const row = await tx.query.applications.findFirst({ where: eq(applications.id, id) });
    if (!row) return;
    const settings = { ...(JSON.parse(row.settingsJson) as Record<string, unknown>), ...changes };
    await tx
      .update(applications)
      .set({ settingsJson: JSON.stringify(settings), updatedAt: nowSeconds() })
      .where(eq(applications.id, id));
  });
  return findApplication(store, id);
}
