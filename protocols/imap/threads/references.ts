/**
 * THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm), step by step: (1) link
 * messages by their Message-ID, References and In-Reply-To, (2) take the messages without a parent,
 * (3) prune dummies, (4) order the top level, (5) gather top-level threads of the same base
 * subject, (6) order every level by sent date.
 */
import type { Sortable } from "../sort-program.ts";
import { bySentDate, type ThreadNode } from "./thread-tree.ts";

interface Container extends ThreadNode {
  children: Container[];
  parent: Container | null;
}

export function referencesThreads(messages: readonly Sortable[]): ThreadNode[] {
  const linked = link([...messages].sort((a, b) => a.seq - b.seq));
  const roots = prune(linked.filter((c) => c.parent === null));
  // Step 4: a dummy sorts as its first child, so its children are ordered first.
  for (const c of roots) if (!c.message) c.children.sort(bySentDate);
  roots.sort(bySentDate);
  const merged = gatherBySubject(roots);
  sortLevels(merged);
  return merged;
}

/** Step 1: every message and every referenced Message-ID gets a container, linked parent to child. */
function link(messages: readonly Sortable[]): Container[] {
  const byId = new Map<string, Container>();
  const all: Container[] = [];
  const container = (id: string): Container => {
    let c = byId.get(id);
    if (!c) {
      c = { message: null, children: [], parent: null };
      byId.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const m of messages) {
    const id = m.row.messageIdHeader;
    // No Message-ID, or one an earlier message already has: a container of its own.
    let self = id === null ? undefined : container(id);
    if (!self || self.message) {
      self = { message: null, children: [], parent: null };
      all.push(self);
    }
    self.message = m;
    const refs = references(m);
    for (let i = 0; i + 1 < refs.length; i++) {
      const child = container(refs[i + 1] as string);
      // A References line may be truncated or wrong: the first link made stands.
      if (!child.parent) adopt(container(refs[i] as string), child);
    }
    // The message's own last reference is its parent, replacing any link others' References made.
    detach(self);
    const last = refs.at(-1);
    if (last !== undefined) adopt(container(last), self);
  }
  return all;
}

/** The References Message-IDs, or the In-Reply-To one when there are none. */
function references(m: Sortable): string[] {
  const refs = JSON.parse(m.row.referencesJson) as string[];
  if (refs.length > 0) return refs;
  return m.row.inReplyTo ? [m.row.inReplyTo] : [];
}

/** Makes `child` a child of `parent`, unless that would make a loop. */
function adopt(parent: Container, child: Container): void {
  for (let p: Container | null = parent; p; p = p.parent) if (p === child) return;
  child.parent = parent;
  parent.children.push(child);
}

function detach(child: Container): void {
  const parent = child.parent;
  if (!parent) return;
  parent.children.splice(parent.children.indexOf(child), 1);
  child.parent = null;
}

/**
 * Step 3: a dummy without children goes; a dummy with children gives them its place, except at
 * the top level, where only a single child replaces it.
 */
function prune(level: Container[], top = true): Container[] {
  const out: Container[] = [];
  for (const c of level) {
    c.children = prune(c.children, false);
    if (c.message || (top && c.children.length > 1)) out.push(c);
    else out.push(...c.children);
  }
  return out;
}

/** Step 5: top-level threads with the same base subject become one. */
function gatherBySubject(roots: Container[]): Container[] {
  const bySubject = new Map<string, Container>();
  for (const c of roots) {
    const subject = threadSubject(c);
    if (!subject) continue;
    const held = bySubject.get(subject);
    if (!held || (held.message && (!c.message || (isReply(held) && !isReply(c))))) bySubject.set(subject, c);
  }
  const merged = new Set<Container>();
  const replaced = new Map<Container, Container>();
  for (const c of roots) {
    const subject = threadSubject(c);
    const held = subject ? bySubject.get(subject) : undefined;
    if (!held || held === c) continue;
    merged.add(c);
    if (!held.message && !c.message) {
      held.children.push(...c.children);
    } else if (!held.message || (isReply(c) && !isReply(held))) {
      held.children.push(c);
    } else {
      const dummy: Container = { message: null, children: [held, c], parent: null };
      replaced.set(held, dummy);
      bySubject.set(subject, dummy);
    }
  }
  return roots.flatMap((c) => (merged.has(c) ? [] : [replaced.get(c) ?? c]));
}

/** A thread's base subject: its message's, or its first child's for a dummy. */
function threadSubject(c: Container): string {
  const m = c.message ?? c.children[0]?.message;
  return m?.row.subject ?? "";
}

function isReply(c: Container): boolean {
  return c.message?.row.subjectReply ?? false;
}

/** Step 6: every set of siblings in sent-date order (a dummy's children first: it sorts as the first). */
function sortLevels(level: Container[]): void {
  for (const c of level) sortLevels(c.children);
  level.sort(bySentDate);
}
