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
  const row: ApplicationRow = { id: newUuid(), name, isDefault, createdAt: now, updatedAt: now };
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
