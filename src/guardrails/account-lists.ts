import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { listValueProblem, normaliseListValue } from "../rule-engine/list-values.ts";
import type { Db } from "../store/db.ts";
import { type ListItemRow, type ListRow, listItems, lists } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { addListItems, createList, removeListItems } from "./lists.ts";
import type { Page, PageRequest } from "./page.ts";

/**
 * Per-account allow and block lists in AgentMail's three directions: `receive` (who may send to
 * the account), `reply` (the same, for replies to the account's own messages: they are checked
 * instead of `receive`), `send` (whom the account may send to). A thin layer over lists: each
 * direction and type keeps its addresses and its domains in two ordinary lists that belong to
 * the account (hidden from /v3/lists); governance.ts turns them into rules.
 */
export const DIRECTIONS = ["send", "receive", "reply"] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const ACCOUNT_LIST_TYPES = ["allow", "block"] as const;
export type AccountListType = (typeof ACCOUNT_LIST_TYPES)[number];

export interface AccountEntry {
  entry: string;
  entryType: "email" | "domain";
  direction: Direction;
  listType: AccountListType;
  reason: string | null;
  createdAt: number;
}

/** The name an account list is stored under. */
export function accountListName(
  direction: Direction,
  listType: AccountListType,
  kind: "address" | "domain",
): string {
  return `account:${direction}:${listType}:${kind}`;
}

/** An entry as typed: an address or a domain, normalised; or why it is neither. */
export function parseEntry(
  value: string,
): { value: string; kind: "address" | "domain" } | { problem: string } {
  const normalised = normaliseListValue(value);
  const kind = normalised.includes("@") ? "address" : "domain";
  const problem = listValueProblem(kind, normalised);
  return problem ? { problem } : { value: normalised, kind };
}

/** The account's lists (only those that were ever given an entry exist). */
export function accountLists(db: Db, grantId: string): ListRow[] {
  return db.select().from(lists).where(eq(lists.grantId, grantId)).all();
}

/** Every account list of an application, by account (the governance snapshot). */
export function accountListsByGrant(db: Db, applicationId: string): Map<string, ListRow[]> {
  const byGrant = new Map<string, ListRow[]>();
  for (const row of db.select().from(lists).where(eq(lists.applicationId, applicationId)).all()) {
    if (!row.grantId) continue;
    byGrant.set(row.grantId, [...(byGrant.get(row.grantId) ?? []), row]);
  }
  return byGrant;
}

export async function addAccountEntry(
  store: Store,
  grant: { id: string; applicationId: string },
  direction: Direction,
  listType: AccountListType,
  entry: { value: string; kind: "address" | "domain" },
  reason: string | null,
): Promise<void> {
  const name = accountListName(direction, listType, entry.kind);
  const list =
    accountLists(store.read, grant.id).find((l) => l.name === name) ??
    (await createList(store, grant.applicationId, { name, description: null, type: entry.kind }, grant.id));
  await addListItems(store, list, [entry.value], reason);
}

/** Removes an entry; false when it was not there. */
export async function removeAccountEntry(
  store: Store,
  grantId: string,
  direction: Direction,
  listType: AccountListType,
  entry: { value: string; kind: "address" | "domain" },
): Promise<boolean> {
  const list = accountLists(store.read, grantId).find(
    (l) => l.name === accountListName(direction, listType, entry.kind),
  );
  if (!list) return false;
  const after = await removeListItems(store, list, [entry.value]);
  return after.itemsCount < list.itemsCount;
}

/** One page of a direction and type's entries (addresses and domains), in the order added. */
export function accountEntries(
  db: Db,
  grantId: string,
  direction: Direction,
  listType: AccountListType,
  page: PageRequest & { value?: string },
): Page<AccountEntry & { id: string }> {
  const mine = accountLists(db, grantId).filter((l) =>
    l.name.startsWith(`account:${direction}:${listType}:`),
  );
  if (mine.length === 0) return { rows: [], nextAfter: null };
  const rows = db
    .select()
    .from(listItems)
    .where(
      and(
        inArray(
          listItems.listId,
          mine.map((l) => l.id),
        ),
        page.value ? eq(listItems.value, page.value) : undefined,
        page.after ? gt(listItems.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(listItems.id))
    .limit(page.limit + 1)
    .all();
  const more = rows.length > page.limit;
  const kept = (more ? rows.slice(0, page.limit) : rows).map((r) => entryOf(r, direction, listType));
  return { rows: kept, nextAfter: more ? (kept.at(-1)?.id ?? null) : null };
}

function entryOf(
  r: ListItemRow,
  direction: Direction,
  listType: AccountListType,
): AccountEntry & { id: string } {
  return {
    id: r.id,
    entry: r.value,
    entryType: r.value.includes("@") ? "email" : "domain",
    direction,
    listType,
    reason: r.reason,
    createdAt: r.createdAt,
  };
}
