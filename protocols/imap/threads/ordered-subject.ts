/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages with the same base subject are one thread; in
 * sent-date order, the first is the thread's root and every later one its child. Threads are
 * ordered by the sent date of their first message.
 */
import { sentDate } from "../../../src/mailbox/imap-ordering.ts";
import type { Sortable } from "../sort-program.ts";
import type { ThreadNode } from "./thread-tree.ts";

export function orderedSubjectThreads(messages: readonly Sortable[]): ThreadNode[] {
  const byDate = [...messages].sort((a, b) => sentDate(a.row) - sentDate(b.row) || a.seq - b.seq);
  const threads = new Map<string, ThreadNode>();
  for (const m of byDate) {
    const node: ThreadNode = { message: m, children: [] };
    const root = threads.get(m.row.subject);
    if (root) root.children.push(node);
    else threads.set(m.row.subject, node);
  }
  // Map order is first-insertion order: the threads' first messages, by sent date already.
  return [...threads.values()];
}
