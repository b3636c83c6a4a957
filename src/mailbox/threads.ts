import { and, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type MessageRow, messages, type ThreadRow, threads } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { filterConditions, type MessageFilter } from "./message-filter.ts";
import { type MessageView, withDetails } from "./messages.ts";

export interface ThreadView {
  row: ThreadRow;
  seq: number;
  /** The thread's messages (drafts included), oldest first. */
  messages: MessageView["row"][];
  latest: MessageView | null;
}

export interface ThreadPosition {
  latest: number;
  seq: number;
}

/** Threads with at least one message matching the filter, most recent activity first. */
export function listThreads(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ThreadPosition | null,
): { items: ThreadView[]; next: ThreadPosition | null } {
  // unread/starred describe the thread (any message), not each message.
  const { unread, starred, ...perMessage } = filter;
  const matching = store.read
    .select({ id: messages.threadId })
    .from(messages)
    .where(filterConditions(store, grantId, perMessage));
  const conditions: (SQL | undefined)[] = [eq(threads.grantId, grantId), inArray(threads.id, matching)];
  if (unread !== undefined) conditions.push(anyMessage(sql`${messages.seen} = 0`, unread));
  if (starred !== undefined) conditions.push(anyMessage(sql`${messages.flagged} = 1`, starred));
  if (after) {
    conditions.push(
      or(
        lt(threads.latestMessageAt, after.latest),
        and(eq(threads.latestMessageAt, after.latest), sql`${threads}.rowid < ${after.seq}`),
      ),
    );
  }
  const rows = store.read
    .select({ row: threads, seq: sql<number>`${threads}.rowid` })
    .from(threads)
    .where(and(...conditions))
    .orderBy(desc(threads.latestMessageAt), desc(sql`${threads}.rowid`))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items = withMessages(store, grantId, page);
  return {
    items,
    next: rows.length > limit && last ? { latest: last.row.latestMessageAt, seq: last.seq } : null,
  };
}

/** The thread has (or, with `present` false, has no) message satisfying `condition`. */
function anyMessage(condition: SQL, present: boolean): SQL {
  const exists = sql`EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.threadId} = ${threads.id} AND ${condition})`;
  return present ? exists : sql`NOT ${exists}`;
}

export function getThread(store: Store, grantId: string, id: string): ThreadView | null {
  const rows = store.read
    .select({ row: threads, seq: sql<number>`${threads}.rowid` })
    .from(threads)
    .where(and(eq(threads.grantId, grantId), eq(threads.id, id)))
    .all();
  const [view] = withMessages(store, grantId, rows);
  return view && view.messages.length > 0 ? view : null;
}

function withMessages(store: Store, grantId: string, rows: { row: ThreadRow; seq: number }[]): ThreadView[] {
  if (rows.length === 0) return [];
  const all = store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(
      and(
        eq(messages.grantId, grantId),
        inArray(
          messages.threadId,
          rows.map((r) => r.row.id),
        ),
      ),
    )
    .orderBy(messages.internalDate, sql`${messages}.rowid`)
    .all();
  const byThread = new Map<string, { row: MessageRow; seq: number }[]>();
  for (const m of all) {
    const own = byThread.get(m.row.threadId ?? "");
    if (own) own.push(m);
    else byThread.set(m.row.threadId ?? "", [m]);
  }
  // The newest message of every thread, with its body and attachments, in one read for the page.
  const newest = rows.flatMap(({ row }) => byThread.get(row.id)?.at(-1) ?? []);
  const latest = new Map(withDetails(store, newest).map((v) => [v.row.threadId, v]));
  return rows.map(({ row, seq }) => ({
    row,
    seq,
    messages: (byThread.get(row.id) ?? []).map((m) => m.row),
    latest: latest.get(row.id) ?? null,
  }));
}
