/**
 * A THREAD answer's tree (RFC 5256 §4): messages, and dummies standing for a message that is
 * referenced but not there, and its wire form `(1 2 (3)(4 5))`.
 */
import { sentDate } from "../../../src/mailbox/imap-ordering.ts";
import type { Sortable } from "../sort-program.ts";

export interface ThreadNode {
  /** The message, or null for a dummy. */
  message: Sortable | null;
  children: ThreadNode[];
}

/** A thread's sort position: its message's sent date, or its first child's for a dummy. */
function sortKey(node: ThreadNode): Sortable | null {
  let n: ThreadNode | undefined = node;
  while (n && !n.message) n = n.children[0];
  return n?.message ?? null;
}

/** Orders siblings by sent date, then mailbox order; a dummy sorts as its first child. */
export function bySentDate(a: ThreadNode, b: ThreadNode): number {
  const x = sortKey(a);
  const y = sortKey(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  return sentDate(x.row) - sentDate(y.row) || x.seq - y.seq;
}

/** `* THREAD (…)(…)`; `number` gives a message's number (sequence number or UID). */
export function threadResponse(roots: readonly ThreadNode[], number: (m: Sortable) => number): string {
  return roots.length === 0 ? "* THREAD" : `* THREAD ${roots.map((r) => threadList(r, number)).join("")}`;
}

/** A thread-list: a chain of single children as members, then the branches nested. */
function threadList(node: ThreadNode, number: (m: Sortable) => number): string {
  const parts: string[] = [];
  let n = node;
  while (n.message) {
    parts.push(String(number(n.message)));
    const only = n.children.length === 1 ? n.children[0] : undefined;
    if (!only?.message) break;
    n = only;
  }
  // A dummy's children are branches; a dummy left under a message (none after pruning) is flattened.
  const only = n.message && n.children.length === 1 ? n.children[0] : undefined;
  const branches = only ? only.children : n.children;
  if (branches.length > 0) parts.push(branches.map((c) => threadList(c, number)).join(""));
  return `(${parts.join(" ")})`;
}
