import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { newId } from "../../src/ids.ts";
import type { ParsedMessage } from "../../src/mail/parse-message.ts";
import { messages, threads } from "../../src/store/schema.ts";
import type { Tx } from "../../src/store/store.ts";

/** A reply by subject alone joins a thread only if that thread saw mail this recently. */
const SUBJECT_WINDOW_S = 7 * 24 * 3600;
const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|rv|r|odp)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/**
 * The thread a new message joins: the thread of any message it references (In-Reply-To,
 * References), else of any message that already replies to it, else (a reply-looking subject
 * only) a recent thread with the same subject, else a new thread.
 */
export async function assignThread(tx: Tx, grantId: string, m: ParsedMessage, now: number): Promise<string> {
  const found =
    (await byReferences(tx, grantId, m)) ??
    (await byReplies(tx, grantId, m)) ??
    (await bySubject(tx, grantId, m, now));
  const key = subjectKey(m.subject);
  if (found) {
    await tx
      .update(threads)
      .set({ latestMessageAt: sql`max(${threads.latestMessageAt}, ${now})` })
      .where(eq(threads.id, found));
    return found;
  }
  const id = newId();
  await tx.insert(threads).values({ id, grantId, subjectKey: key, createdAt: now, latestMessageAt: now });
  return id;
}

async function byReferences(tx: Tx, grantId: string, m: ParsedMessage): Promise<string | null> {
  const ids = [...new Set([m.inReplyTo, ...m.references].filter((x): x is string => !!x))];
  if (ids.length === 0) return null;
  const [row] = await tx
    .select({ threadId: messages.threadId })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), inArray(messages.messageIdHeader, ids)))
    .orderBy(desc(messages.internalDate))
    .limit(1);
  return row?.threadId ?? null;
}

async function byReplies(tx: Tx, grantId: string, m: ParsedMessage): Promise<string | null> {
  if (!m.messageId) return null;
  const [row] = await tx
    .select({ threadId: messages.threadId })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.inReplyTo, m.messageId)))
    .limit(1);
  return row?.threadId ?? null;
}

async function bySubject(tx: Tx, grantId: string, m: ParsedMessage, now: number): Promise<string | null> {
  if (!m.subject || !REPLY_PREFIX.test(m.subject)) return null;
  const [row] = await tx
    .select({ id: threads.id })
    .from(threads)
    .where(
      and(
        eq(threads.grantId, grantId),
        eq(threads.subjectKey, subjectKey(m.subject)),
        gt(threads.latestMessageAt, now - SUBJECT_WINDOW_S),
      ),
    )
    .orderBy(desc(threads.latestMessageAt))
    .limit(1);
  return row?.id ?? null;
}

/** "Re: Fwd: [list] Hello  world" → "hello world". */
export function subjectKey(subject: string | null): string {
  return (subject ?? "").replace(REPLY_PREFIX, "").replace(/\s+/g, " ").trim().toLowerCase();
}
