import type { Client } from "./client.ts";

/** The largest page the API serves. */
const PAGE_SIZE = 200;

/** An offset-paged list (GET /v3/grants): pages until a short one, or until `max` items. */
export async function collectOffsetPages<T>(
  client: Client,
  path: string,
  max = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  while (items.length < max) {
    const limit = Math.min(PAGE_SIZE, max - items.length);
    const page = (await client.get<T[]>(path, { limit, offset: items.length })).data;
    items.push(...page);
    if (page.length < limit) break;
  }
  return items;
}

/** A cursor-paged list: follows `next_cursor` (sent back as `page_token`) to the end. */
export async function collectCursorPages<T>(client: Client, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<T[]>(path, { limit: PAGE_SIZE, page_token: cursor });
    items.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
