/**
 * Live SEARCH and SORT results of one session (RFC 5267 CONTEXT=SEARCH, CONTEXT=SORT): a
 * `RETURN (UPDATE)` keeps its result, and whenever the selected mailbox changed the session tells
 * what left and what joined it, as `* ESEARCH (TAG "t") REMOVEFROM (…) ADDTO (…)`, until
 * CANCELUPDATE or the mailbox is closed. As Dovecot does, messages about to be expunged leave the
 * results first (numbered as before the EXPUNGE that follows), and a SEARCH result's changes
 * carry position 0. A SORT result's carry each message's position, one ADDTO / REMOVEFROM item
 * per message, applied in order (Dovecot sends position 0 there too).
 */
import { quote } from "./encode.ts";
import { formatSequenceSet } from "./sequence.ts";

/** What a context needs of the selected mailbox's view. */
export interface ContextView {
  seqOf(uid: number): number;
  /** Grows with every change of the mailbox the session accepted. */
  readonly version: number;
  /** UIDs still in the client's view whose expunge is not told yet. */
  pendingExpunges(): Set<number>;
}

export interface LiveSearch {
  tag: string;
  /** Answers UIDs (UID SEARCH / UID SORT) rather than message numbers. */
  uid: boolean;
  /** A SORT result: positions matter. */
  sorted: boolean;
  /** The UIDs of the view's messages that match now, in result order. */
  run(): number[];
}

/** Dovecot's limit: beyond it a search is answered without updates (* NO [NOUPDATE]). */
export const MAX_LIVE_SEARCHES = 10;

interface Live {
  search: LiveSearch;
  uids: number[];
}

export class SearchContexts {
  private view: ContextView | null = null;
  private live: Live[] = [];
  private seenVersion = 0;

  /** Some result is live (in whatever selection). */
  get active(): boolean {
    return this.live.length > 0;
  }

  /** A result of this selection is live under `tag`. */
  has(view: ContextView, tag: string): boolean {
    this.forView(view);
    return this.live.some((l) => l.search.tag === tag);
  }

  full(view: ContextView): boolean {
    this.forView(view);
    return this.live.length >= MAX_LIVE_SEARCHES;
  }

  /** Keeps `search` up to date from now on; `uids` is the result just returned. */
  add(view: ContextView, search: LiveSearch, uids: number[]): void {
    this.forView(view);
    this.live.push({ search, uids });
  }

  /** CANCELUPDATE: false when no live result of this selection has that tag. */
  cancel(view: ContextView, tag: string): boolean {
    this.forView(view);
    const before = this.live.length;
    this.live = this.live.filter((l) => l.search.tag !== tag);
    return this.live.length < before;
  }

  /** REMOVEFROM for results holding messages the coming flush expunges (numbers as they are now). */
  beforeExpunges(view: ContextView, expunging: readonly number[]): string[] {
    if (!this.forView(view) || expunging.length === 0) return [];
    const gone = new Set(expunging);
    const lines: string[] = [];
    for (const l of this.live) {
      const kept = l.uids.filter((uid) => !gone.has(uid));
      if (kept.length === l.uids.length) continue;
      const line = this.changes(view, l, kept);
      if (line) lines.push(line);
      l.uids = kept;
    }
    return lines;
  }

  /** ADDTO / REMOVEFROM for every result the mailbox's changes since the last look changed. */
  refresh(view: ContextView): string[] {
    if (!this.forView(view) || view.version === this.seenVersion) return [];
    this.seenVersion = view.version;
    const expunging = view.pendingExpunges();
    const lines: string[] = [];
    for (const l of this.live) {
      const now = l.search.run();
      // A message whose expunge is not told yet stays where it was until it is.
      const matching = new Set(now);
      const waiting = l.uids.filter((uid) => expunging.has(uid) && !matching.has(uid));
      const next = waiting.length > 0 ? merge(l, now, waiting) : now;
      if (sameList(next, l.uids)) continue;
      const line = this.changes(view, l, next);
      if (line) lines.push(line);
      l.uids = next;
    }
    return lines;
  }

  /** Results belong to one selection: a new one (SELECT, CLOSE then SELECT) starts empty. */
  private forView(view: ContextView): boolean {
    if (this.view !== view) {
      this.view = view;
      this.live = [];
      this.seenVersion = view.version;
    }
    return this.live.length > 0;
  }

  /** The ESEARCH line turning the result `l.uids` into `next`; "" when the client sees no change. */
  private changes(view: ContextView, l: Live, next: number[]): string {
    const number = (uid: number) => (l.search.uid ? uid : view.seqOf(uid));
    const before = new Set(l.uids);
    const after = new Set(next);
    const parts = [`* ESEARCH (TAG ${quote(l.search.tag)})`];
    if (l.search.uid) parts.push("UID");
    // A message no longer in the client's view has no number to tell.
    const told = (uid: number) => number(uid) > 0;
    const removed = l.uids.flatMap((uid, i) =>
      after.has(uid) || !told(uid) ? [] : [{ uid, position: i + 1 }],
    );
    const added = next.flatMap((uid, i) => (before.has(uid) || !told(uid) ? [] : [{ uid, position: i + 1 }]));
    if (l.search.sorted) {
      // Applied in order: removals from the end (earlier positions stay right), then additions
      // from the start (each lands where the new result has it).
      removed.reverse();
      for (const r of removed) parts.push(`REMOVEFROM (${r.position} ${number(r.uid)})`);
      for (const a of added) parts.push(`ADDTO (${a.position} ${number(a.uid)})`);
    } else {
      if (removed.length > 0) parts.push(`REMOVEFROM (0 ${ascendingSet(removed.map((r) => number(r.uid)))})`);
      if (added.length > 0) parts.push(`ADDTO (0 ${ascendingSet(added.map((a) => number(a.uid)))})`);
    }
    return removed.length + added.length > 0 ? parts.join(" ") : "";
  }
}

/** The new result with the messages waiting for their expunge kept in their old places. */
function merge(l: Live, now: number[], waiting: number[]): number[] {
  if (!l.search.sorted) return [...now, ...waiting].sort((a, b) => a - b);
  const keep = new Set([...now, ...waiting]);
  const out = l.uids.filter((uid) => keep.has(uid));
  const known = new Set(out);
  // New matches go where the sorted result puts them, after their predecessor there.
  for (let i = 0; i < now.length; i++) {
    const uid = now[i] as number;
    if (known.has(uid)) continue;
    const prev = i === 0 ? -1 : out.indexOf(now[i - 1] as number);
    out.splice(prev + 1, 0, uid);
    known.add(uid);
  }
  return out;
}

function ascendingSet(numbers: number[]): string {
  return formatSequenceSet(numbers.sort((a, b) => a - b));
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
