import type { RowidPage } from "../store/rowid-page.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { queryInt } from "./validate.ts";

/** `limit` (default 50, at most 200) and where a `page_token` resumes (a rowid; 0: the start). */
export function pageParams(q: URLSearchParams, fallbackLimit = 50, maxLimit = 200) {
  const limit = queryInt(q, "limit", fallbackLimit, 1, maxLimit);
  const cursor = decodeCursor(q.get("page_token"), { seq: "number" });
  return { limit, after: cursor?.seq ?? 0 };
}

/** The `next_cursor` of a page, or null on the last one. */
export function nextCursorOf(page: RowidPage<unknown>): string | null {
  return page.next === null ? null : encodeCursor({ seq: page.next });
}
