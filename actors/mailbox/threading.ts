import { newId } from "../../src/ids.ts";
import type { PreparedMessage } from "../../src/mail/prepared-message.ts";
import {
  insertReferences,
  insertThread,
  mergeThreads,
  recentThreadBySubject,
  threadOfMessageIds,
  threadsReferring,
  touchThread,
} from "../../src/mailbox/writes/threads.ts";
import type { Tx } from "../../src/store/db.ts";

/** What threading reads of a message. */
type ThreadingFields = Pick<PreparedMessage, "subject" | "messageId" | "inReplyTo" | "references">;

/** A reply by subject alone joins a thread only if that thread saw mail this recently. */
const SUBJECT_WINDOW_S = 7 * 24 * 3600;
const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|rv|r|odp)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/**
 * The thread a new message joins: the thread of any message it refers to (In-Reply-To,
 * References) and of any message that already refers to it (replies that arrived first) —
 * merged into one if they differ —, else (a reply-looking subject only) a recent thread with the
 * same subject, else a new thread.
 */
export function assignThread(
  tx: Tx,
  grant: { grantId: string; anyReferences: boolean },
  m: ThreadingFields,
  at: number,
): string {
  const { grantId } = grant;
  const refs = referencesOf(m);
  const linked = [
    ...new Set([
      ...(m.messageId && grant.anyReferences ? threadsReferring(tx, grantId, m.messageId) : []),
      threadOfMessageIds(tx, grantId, refs),
    ]),
  ].filter((t): t is string => !!t);
  const found =
    linked[0] ??
    (m.subject && REPLY_PREFIX.test(m.subject)
      ? recentThreadBySubject(tx, grantId, subjectKey(m.subject), at - SUBJECT_WINDOW_S)
      : null);
  if (found) {
    mergeThreads(tx, grantId, found, linked.slice(1));
    touchThread(tx, found, at);
    return found;
  }
  const id = newId();
  insertThread(tx, { id, grantId, subjectKey: subjectKey(m.subject), at });
  return id;
}

/** The Message-IDs a message refers to: In-Reply-To and References, once each. */
export function referencesOf(m: ThreadingFields): string[] {
  return [...new Set([m.inReplyTo, ...m.references].filter((x): x is string => !!x))];
}

/** Records what a stored message refers to, so a parent arriving later finds its thread. */
export function recordReferences(
  tx: Tx,
  grant: { grantId: string; anyReferences: boolean },
  messageId: string,
  m: ThreadingFields,
): void {
  const refs = referencesOf(m);
  if (refs.length === 0) return;
  insertReferences(tx, grant.grantId, messageId, refs);
  grant.anyReferences = true;
}

/** "Re: Fwd: Hello  world" → "hello world". */
export function subjectKey(subject: string | null): string {
  return (subject ?? "").replace(REPLY_PREFIX, "").replace(/\s+/g, " ").trim().toLowerCase();
}
