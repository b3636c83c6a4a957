import { newId } from "../../src/ids.ts";
import type { ParsedMessage } from "../../src/mail/parse-message.ts";
import {
  insertThread,
  recentThreadBySubject,
  threadOfMessageIds,
  threadOfReplyTo,
  touchThread,
} from "../../src/store/ingest-sql.ts";
import type { Tx } from "../../src/store/store.ts";

/** A reply by subject alone joins a thread only if that thread saw mail this recently. */
const SUBJECT_WINDOW_S = 7 * 24 * 3600;
const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|rv|r|odp)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/**
 * The thread a new message joins: the thread of any message it references (In-Reply-To,
 * References), else of any message that already replies to it, else (a reply-looking subject
 * only) a recent thread with the same subject, else a new thread.
 */
export function assignThread(tx: Tx, grantId: string, m: ParsedMessage, at: number): string {
  const referenced = [...new Set([m.inReplyTo, ...m.references].filter((x): x is string => !!x))];
  const found =
    threadOfMessageIds(tx, grantId, referenced) ??
    (m.messageId ? threadOfReplyTo(tx, grantId, m.messageId) : null) ??
    (m.subject && REPLY_PREFIX.test(m.subject)
      ? recentThreadBySubject(tx, grantId, subjectKey(m.subject), at - SUBJECT_WINDOW_S)
      : null);
  if (found) {
    touchThread(tx, found, at);
    return found;
  }
  const id = newId();
  insertThread(tx, { id, grantId, subjectKey: subjectKey(m.subject), at });
  return id;
}

/** "Re: Fwd: Hello  world" → "hello world". */
export function subjectKey(subject: string | null): string {
  return (subject ?? "").replace(REPLY_PREFIX, "").replace(/\s+/g, " ").trim().toLowerCase();
}
