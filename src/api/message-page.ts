import type { MessageFilter } from "../mailbox/message-filter.ts";
import { listMessages, type MessageView } from "../mailbox/messages.ts";
import type { Store } from "../store/store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { filterQuery, parseMessageFilter } from "./message-query.ts";
import { queryInt } from "./validate.ts";

/**
 * One page of a message list request (`GET /messages`, `GET /drafts`): `limit`, the filters, and
 * the next page's cursor, which carries the filters it was issued for, so every page answers the
 * same question. `folder` keeps every page to one folder whatever `in` says (the drafts list).
 */
export function messagePage(
  store: Store,
  grantId: string,
  q: URLSearchParams,
  folder?: string,
): { items: MessageView[]; next: string | null } {
  const limit = queryInt(q, "limit", 50, 1, 200);
  const cursor = decodeCursor(q.get("page_token"), { q: "string", d: "number", s: "number" });
  const filterParams = new URLSearchParams(cursor ? cursor.q : q);
  if (folder) filterParams.delete("in");
  const filter: MessageFilter = { ...parseMessageFilter(filterParams), ...(folder ? { in: [folder] } : {}) };
  const page = listMessages(store, grantId, filter, limit, cursor && { date: cursor.d, seq: cursor.s });
  const next = page.next
    ? encodeCursor({ q: filterQuery(filterParams), d: page.next.date, s: page.next.seq })
    : null;
  return { items: page.items, next };
}
