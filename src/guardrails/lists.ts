import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { newTimeUuid, nowSeconds } from "../ids.ts";
import type { ListType } from "../rule-engine/list-values.ts";
import type { Tx } from "../store/db.ts";
import { type ListItemRow, type ListRow, listItems, lists } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type Page, type PageRequest, pageOf } from "./page.ts";

/**
 * Lists (/v3/lists) and their items: typed collections of normalised values that rules name
 * through `in_list`. `items_count` is kept in the unit that adds or removes items.
 */

export interface ListFields {
  name: string;
  description: string | null;
  type: ListType;
}

/** A list of the application, or (with `grantId`) one of an account's own allow and block lists. */
export async function createList(
  store: Store,
  applicationId: string,
  f: ListFields,
  grantId: string | null = null,
): Promise<ListRow> {
  const now = nowSeconds();
  const row: ListRow = {
    id: newTimeUuid(),
    applicationId,
    ...f,
    itemsCount: 0,
    createdAt: now,
    updatedAt: now,
    grantId,
  };
  await store.writer.submit((tx) => tx.insert(lists).values(row).run());
  return row;
}

export function listLists(store: Store, applicationId: string, page: PageRequest): Page<ListRow> {
  const rows = store.read
    .select()
    .from(lists)
    .where(
      and(
        eq(lists.applicationId, applicationId),
        isNull(lists.grantId),
        page.after ? gt(lists.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(lists.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit);
}

export function findList(store: Store, applicationId: string, id: string): ListRow | null {
  return (
    store.read
      .select()
      .from(lists)
      .where(and(eq(lists.applicationId, applicationId), eq(lists.id, id), isNull(lists.grantId)))
      .get() ?? null
  );
}

export async function updateList(
  store: Store,
  row: ListRow,
  changes: { name?: string; description?: string | null },
): Promise<ListRow> {
  const next: ListRow = { ...row, ...changes, updatedAt: nowSeconds() };
  await store.writer.submit((tx) =>
    tx
      .update(lists)
      .set({ name: next.name, description: next.description, updatedAt: next.updatedAt })
      .where(eq(lists.id, row.id))
      .run(),
  );
  return next;
}

/** Deletes the list and its items; rules that name it simply stop matching through it. */
export async function deleteList(store: Store, row: ListRow): Promise<void> {
  await store.writer.submit((tx) => tx.delete(lists).where(eq(lists.id, row.id)).run());
}

/** Adds normalised values (already there: ignored); answers the list as it is after the commit. */
export function addListItems(
  store: Store,
  row: ListRow,
  values: readonly string[],
  reason: string | null = null,
): Promise<ListRow> {
  return changeItems(store, row, (tx) => {
    const insert = tx.$client.prepare(
      "INSERT OR IGNORE INTO list_items (list_id, value, id, created_at, reason) VALUES (?, ?, ?, ?, ?)",
    );
    const now = nowSeconds();
    let added = 0;
    for (const value of values) added += insert.run(row.id, value, newTimeUuid(), now, reason).changes;
    return added;
  });
}

/** Removes values (absent ones: ignored); answers the list as it is after the commit. */
export function removeListItems(store: Store, row: ListRow, values: readonly string[]): Promise<ListRow> {
  return changeItems(store, row, (tx) => {
    const remove = tx.$client.prepare("DELETE FROM list_items WHERE list_id = ? AND value = ?");
    let removed = 0;
    for (const value of values) removed += remove.run(row.id, value).changes;
    return -removed;
  });
}

async function changeItems(store: Store, row: ListRow, change: (tx: Tx) => number): Promise<ListRow> {
  return store.writer.submit((tx) => {
    const delta = change(tx);
    const now = nowSeconds();
    tx.$client
      .prepare("UPDATE lists SET items_count = items_count + ?, updated_at = ? WHERE id = ?")
      .run(delta, now, row.id);
    const current = tx.select().from(lists).where(eq(lists.id, row.id)).get();
    if (!current) throw new Error(`list ${row.id} vanished`);
    return current;
  });
}

export function listItemsPage(store: Store, listId: string, page: PageRequest): Page<ListItemRow> {
  const rows = store.read
    .select()
    .from(listItems)
    .where(and(eq(listItems.listId, listId), page.after ? gt(listItems.id, page.after) : undefined))
    .orderBy(asc(listItems.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit);
}
