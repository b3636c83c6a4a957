import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { compiledReads } from "../store/compiled-reads.ts";
import {
  type AttachmentRow,
  attachments,
  type MessageRow,
  messageAddresses,
  messageBodies,
  messages,
} from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import {
  afterPosition,
  filterConditions,
  type ListPosition,
  type MessageFilter,
  participantMatch,
} from "./message-filter.ts";
import { grantMatch } from "./search-scope.ts";

/** A message as read for the API: its row, its body and its attachments' metadata. */
export interface MessageView {
  row: MessageRow;
  seq: number;
  body: string;
  attachments: AttachmentRow[];
}

export interface MessagePage {
  items: MessageView[];
  /** Where the next page starts; null on the last page. */
  next: ListPosition | null;
}

/** Below this many candidates, a participant filter drives the query instead of the date index. */
const SELECTIVE = 2000;

/**
 * Newest first, `limit` at a time: by received date (then arrival order); with a full-text
 * query, by arrival order, driven by the search index (see docs/api.md).
 */
export function listMessages(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ListPosition | null,
): MessagePage {
  const rows = filter.ftsMatch
    ? searchPage(store, grantId, filter, filter.ftsMatch, limit + 1, after)
    : datePage(store, grantId, filter, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? { date: last.row.internalDate, seq: last.seq } : null;
  return { items: withDetails(store, page), next };
}

type Positioned = { row: MessageRow; seq: number };

function datePage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ListPosition | null,
): Positioned[] {
  // A selective participant filter (a few thousand messages at most) drives the query: its
  // messages are looked up by id and sorted. Otherwise walking the date index and testing each
  // message is cheaper.
  const driver = selectiveParticipants(store, grantId, filter);
  const conditions = driver
    ? [filterConditions(store, grantId, driver.rest, true), sql`${messages.id} IN (${driver.ids})`]
    : [filterConditions(store, grantId, filter)];
  if (after) conditions.push(afterPosition(after));
  return store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.internalDate), desc(sql`${messages}.rowid`))
    .limit(limit)
    .all();
}

type ParticipantKey = "anyEmail" | "to" | "from" | "cc" | "bcc";
const PARTICIPANT_KEYS: [ParticipantKey, string | undefined][] = [
  ["anyEmail", undefined],
  ["to", "to"],
  ["from", "from"],
  ["cc", "cc"],
  ["bcc", "bcc"],
];

/**
 * The most selective participant filter, when it matches few messages: the subquery of their
 * ids, and the filter without it (the other conditions still apply). Null when none is worth it.
 */
function selectiveParticipants(
  store: Store,
  grantId: string,
  f: MessageFilter,
): { ids: SQL; rest: MessageFilter } | null {
  let best: { key: ParticipantKey; ids: SQL; count: number } | null = null;
  for (const [key, kind] of PARTICIPANT_KEYS) {
    const emails = f[key];
    if (!emails) continue;
    const where = participantMatch(grantId, emails, kind);
    const [counted] = store.read.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${messageAddresses} WHERE ${where} LIMIT ${SELECTIVE + 1})`,
    );
    const count = counted?.n ?? 0;
    if (count <= SELECTIVE && (!best || count < best.count)) {
      best = {
        key,
        count,
        ids: sql`SELECT ${messageAddresses.messageId} FROM ${messageAddresses} WHERE ${where}`,
      };
    }
  }
  if (!best) return null;
  const { [best.key]: _, ...rest } = f;
  return { ids: best.ids, rest };
}

/** Search results, newest arrival first, walking the full-text index from its newest match. */
function searchPage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  match: string,
  limit: number,
  after: ListPosition | null,
): Positioned[] {
  const { ftsMatch: _, ...rest } = filter;
  const before = after ? sql`AND messages_fts.rowid < ${after.seq}` : sql``;
  const hits = store.read.all<{ seq: number }>(
    sql`SELECT messages_fts.rowid AS seq FROM messages_fts CROSS JOIN ${messages} ON ${messages}.rowid = messages_fts.rowid
        WHERE messages_fts MATCH ${grantMatch(store, grantId, match)} AND ${filterConditions(store, grantId, rest)} ${before}
        ORDER BY messages_fts.rowid DESC LIMIT ${limit}`,
  );
  if (hits.length === 0) return [];
  const rows = store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(
      inArray(
        sql`${messages}.rowid`,
        hits.map((h) => h.seq),
      ),
    )
    .all();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return hits.flatMap((h) => bySeq.get(h.seq) ?? []);
}

/**
 * One message, compiled once per store: drizzle building the three queries anew for every read
 * cost ~0.5 ms, ten times the queries themselves (it bounded webhook hydration to ~1,500/s).
 */
const messageView = compiledReads((db) => ({
  row: db
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(eq(messages.grantId, sql.placeholder("grantId")), eq(messages.id, sql.placeholder("id"))))
    .prepare(),
  body: db
    .select({ body: messageBodies.body })
    .from(messageBodies)
    .where(eq(messageBodies.messageId, sql.placeholder("id")))
    .prepare(),
  attachments: db
    .select()
    .from(attachments)
    .where(eq(attachments.messageId, sql.placeholder("id")))
    .prepare(),
}));

/** One message of the grant with its body and attachments, or null. */
export function getMessage(store: Store, grantId: string, id: string): MessageView | null {
  const q = messageView(store);
  const found = q.row.get({ grantId, id });
  if (!found) return null;
  return {
    row: found.row,
    seq: found.seq,
    body: q.body.get({ id })?.body ?? "",
    attachments: q.attachments.all({ id }),
  };
}

/** Bodies and attachments for a page, in two queries whatever its size. */
export function withDetails(store: Store, rows: { row: MessageRow; seq: number }[]): MessageView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.row.id);
  const bodies = store.read.select().from(messageBodies).where(inArray(messageBodies.messageId, ids)).all();
  const bodyOf = new Map(bodies.map((b) => [b.messageId, b.body]));
  const files = store.read.select().from(attachments).where(inArray(attachments.messageId, ids)).all();
  const filesOf = new Map<string, AttachmentRow[]>();
  for (const f of files) {
    const list = filesOf.get(f.messageId);
    if (list) list.push(f);
    else filesOf.set(f.messageId, [f]);
  }
  return rows.map(({ row, seq }) => ({
    row,
    seq,
    body: bodyOf.get(row.id) ?? "",
    attachments: filesOf.get(row.id) ?? [],
  }));
}

/**
 * The byte-exact raw message. Plain SQL on the connection's statement cache: FETCH and SEARCH
 * read it per message, and drizzle's buffer column would copy every message's bytes.
 */
export function rawMessage(store: Store, blobHash: string): Buffer | null {
  const row = store.read.$client.prepare("SELECT data FROM blobs WHERE hash = ?").get(blobHash) as {
    data: Uint8Array;
  } | null;
  if (!row) return null;
  const d = row.data;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

/** The oldest message matching `filter` received at or after `since` (Unix seconds). */
export function firstMessageSince(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  since: number,
): MessageView | null {
  const rows = store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(filterConditions(store, grantId, filter), sql`${messages.internalDate} >= ${since}`))
    .orderBy(messages.internalDate, sql`${messages}.rowid`)
    .limit(1)
    .all();
  const [view] = withDetails(store, rows);
  return view ?? null;
}

/** The message, if it matches `filter`. */
export function matchingMessage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  id: string,
): MessageView | null {
  const rows = store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(filterConditions(store, grantId, filter), eq(messages.id, id)))
    .all();
  const [view] = withDetails(store, rows);
  return view ?? null;
}

/** The newest message of the grant with this Message-ID header (the parent of a raw or draft reply). */
export function messageByHeader(store: Store, grantId: string, header: string | null): string | undefined {
  if (!header) return undefined;
  return store.read
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.messageIdHeader, header)))
    .orderBy(desc(messages.internalDate))
    .limit(1)
    .get()?.id;
}
