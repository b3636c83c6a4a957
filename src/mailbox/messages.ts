import { and, desc, eq, inArray, sql } from "drizzle-orm";
import {
  type AttachmentRow,
  attachments,
  blobs,
  type MessageRow,
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

/** Newest first (received date, then arrival order), `limit` at a time. */
export async function listMessages(
  store: Store,
  grantId: string,
  filter: MessageFilter,
  limit: number,
  after: ListPosition | null,
): Promise<MessagePage> {
  const where = after
    ? and(filterConditions(grantId, filter), afterPosition(after))
    : filterConditions(grantId, filter);
  const rows = await store.read
    .select({ row: messages, seq: sql<number>`${messages}.rowid` })
    .from(messages)
    .where(where)
    .orderBy(desc(messages.internalDate), desc(sql`${messages}.rowid`))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? { date: last.row.internalDate, seq: last.seq } : null;
  return { items: await withDetails(store, page), next };
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

/** The byte-exact raw message. */
export async function loadRaw(store: Store, blobHash: string): Promise<Uint8Array | null> {
  const [blob] = await store.read.select({ data: blobs.data }).from(blobs).where(eq(blobs.hash, blobHash));
  return blob ? new Uint8Array(blob.data) : null;
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
