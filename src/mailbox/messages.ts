import { and, desc, eq, inArray, sql } from "drizzle-orm";
import {
  type AttachmentRow,
  attachments,
  type MessageRow,
  messageAddresses,
  messageBodies,
  messages,
} from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { afterPosition, filterConditions, type ListPosition, type MessageFilter } from "./message-filter.ts";

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
export async function listMessages(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ListPosition | null,
): Promise<MessagePage> {
  const rows = filter.ftsMatch
    ? await searchPage(store, grantId, filter, filter.ftsMatch, limit + 1, after)
    : await datePage(store, grantId, filter, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? { date: last.row.internalDate, seq: last.seq } : null;
  return { items: await withDetails(store, page), next };
}

type Positioned = { row: MessageRow; seq: number };

async function datePage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ListPosition | null,
): Promise<Positioned[]> {
  // A selective participant filter (a few thousand messages at most) finds its candidates first;
  // otherwise walking the date index and testing each message is cheaper.
  const candidates = await participantCandidates(store, grantId, filter);
  if (candidates) return candidatePage(store, grantId, filter, candidates, limit, after);
  const conditions = [filterConditions(grantId, filter)];
  if (after) conditions.push(afterPosition(after));
  return store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.internalDate), desc(sql`${messages}.rowid`))
    .limit(limit);
}

/** Filters a short candidate list by id, orders it here, and loads only the page's rows. */
async function candidatePage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  candidates: string[],
  limit: number,
  after: ListPosition | null,
): Promise<Positioned[]> {
  if (candidates.length === 0) return [];
  const conditions = [filterConditions(grantId, filter, true), inArray(messages.id, candidates)];
  if (after) conditions.push(afterPosition(after));
  const keys = await store.read
    .select({ id: messages.id, date: messages.internalDate, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(...conditions));
  keys.sort((a, b) => b.date - a.date || b.seq - a.seq);
  const page = keys.slice(0, limit);
  if (page.length === 0) return [];
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(
      inArray(
        messages.id,
        page.map((k) => k.id),
      ),
    );
  const byId = new Map(rows.map((r) => [r.row.id, r]));
  return page.flatMap((k) => byId.get(k.id) ?? []);
}

/** The message ids a participant filter allows, when they are few; null when not worth it. */
async function participantCandidates(
  store: Store,
  grantId: string,
  f: MessageFilter,
): Promise<string[] | null> {
  const lists: { emails: string[]; kind?: string }[] = [];
  if (f.anyEmail) lists.push({ emails: f.anyEmail });
  for (const kind of ["to", "from", "cc", "bcc"] as const) {
    const emails = f[kind];
    if (emails) lists.push({ emails, kind });
  }
  let best: string[] | null = null;
  for (const { emails, kind } of lists) {
    const ids = await store.read
      .selectDistinct({ id: messageAddresses.messageId })
      .from(messageAddresses)
      .where(
        and(
          eq(messageAddresses.grantId, grantId),
          inArray(
            messageAddresses.email,
            emails.map((e) => e.toLowerCase()),
          ),
          kind ? eq(messageAddresses.kind, kind) : undefined,
        ),
      )
      .limit(SELECTIVE + 1);
    if (ids.length <= SELECTIVE && (!best || ids.length < best.length)) best = ids.map((r) => r.id);
  }
  return best;
}

/** Search results, newest arrival first, walking the full-text index from its newest match. */
async function searchPage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  match: string,
  limit: number,
  after: ListPosition | null,
): Promise<Positioned[]> {
  const { ftsMatch: _, ...rest } = filter;
  const before = after ? sql`AND messages_fts.rowid < ${after.seq}` : sql``;
  const hits = await store.read.all<{ seq: number }>(
    sql`SELECT messages_fts.rowid AS seq FROM messages_fts CROSS JOIN ${messages} ON ${messages}.rowid = messages_fts.rowid
        WHERE messages_fts MATCH ${match} AND ${filterConditions(grantId, rest)} ${before}
        ORDER BY messages_fts.rowid DESC LIMIT ${limit}`,
  );
  if (hits.length === 0) return [];
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(
      inArray(
        sql`${messages}.rowid`,
        hits.map((h) => h.seq),
      ),
    );
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return hits.flatMap((h) => bySeq.get(h.seq) ?? []);
}

export async function getMessage(store: Store, grantId: string, id: string): Promise<MessageView | null> {
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.id, id)));
  const [view] = await withDetails(store, rows);
  return view ?? null;
}

/** Bodies and attachments for a page, in two queries whatever its size. */
async function withDetails(store: Store, rows: { row: MessageRow; seq: number }[]): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.row.id);
  const bodies = await store.read.select().from(messageBodies).where(inArray(messageBodies.messageId, ids));
  const bodyOf = new Map(bodies.map((b) => [b.messageId, b.body]));
  const files = await store.read.select().from(attachments).where(inArray(attachments.messageId, ids));
  const filesOf = new Map<string, AttachmentRow[]>();
  for (const f of files) filesOf.set(f.messageId, [...(filesOf.get(f.messageId) ?? []), f]);
  return rows.map(({ row, seq }) => ({
    row,
    seq,
    body: bodyOf.get(row.id) ?? "",
    attachments: filesOf.get(row.id) ?? [],
  }));
}

/** The byte-exact raw message (a compiled statement: FETCH reads it per message). */
export function rawMessage(store: Store, blobHash: string): Buffer | null {
  const row = store.read.$client.prepare("SELECT data FROM blobs WHERE hash = ?").get(blobHash) as {
    data: Uint8Array;
  } | null;
  if (!row) return null;
  const d = row.data;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

export async function findAttachment(
  store: Store,
  grantId: string,
  messageId: string,
  attachmentId: string,
): Promise<AttachmentRow | null> {
  const [row] = await store.read
    .select()
    .from(attachments)
    .where(
      and(
        eq(attachments.grantId, grantId),
        eq(attachments.messageId, messageId),
        eq(attachments.id, attachmentId),
      ),
    );
  return row ?? null;
}

/** The oldest message matching `filter` received at or after `since` (Unix seconds). */
export async function firstMessageSince(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  since: number,
): Promise<MessageView | null> {
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(filterConditions(grantId, filter), sql`${messages.internalDate} >= ${since}`))
    .orderBy(messages.internalDate, sql`${messages}.rowid`)
    .limit(1);
  const [view] = await withDetails(store, rows);
  return view ?? null;
}

/** The message, if it matches `filter`. */
export async function matchingMessage(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  id: string,
): Promise<MessageView | null> {
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(and(filterConditions(grantId, filter), eq(messages.id, id)));
  const [view] = await withDetails(store, rows);
  return view ?? null;
}
