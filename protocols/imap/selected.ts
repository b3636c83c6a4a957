/**
 * The selected mailbox of one session: the client's view of message sequence numbers (the UID
 * at each position) and the changes committed since, waiting to be told (RFC 3501 §7.4.1,
 * RFC 7162). Changes arrive from the ChangeBus at any time; they are turned into untagged
 * responses only at safe points: the end of a command, or at once during IDLE. EXPUNGE is held
 * back after FETCH, STORE and SEARCH (sequence numbers must not shift under the client there).
 */

import type { MailboxChange } from "../../src/domain/changes.ts";
import type { Flags } from "../../src/domain/flags.ts";
import { flagList, SYSTEM_FLAG_NAMES } from "./encode.ts";
import { formatSequenceSet, resolveSequenceNumbers, resolveUids, type SequenceSet } from "./sequence.ts";

export interface FlushOptions {
  allowExpunge: boolean;
  /** QRESYNC enabled: expunges are told as VANISHED. */
  qresync: boolean;
  /** CONDSTORE enabled: flag changes carry MODSEQ. */
  condstore: boolean;
}

type Pending =
  | { kind: "exists"; uid: number }
  | { kind: "expunge"; uid: number }
  | { kind: "flags"; uid: number; modseq: number; flags: Flags };

export class SelectedMailbox {
  /** uids[i] is the UID of message sequence number i + 1, as the client knows them. */
  readonly uids: number[];
  readonly recent: Set<number>;
  private pending: Pending[] = [];
  private held: Pending[] = [];
  /** Set once the folder is deleted: the session must end. */
  deleted = false;
  /** Counts the changes accepted: live search results (search-contexts.ts) look again when it moves. */
  version = 0;
  /** The keywords the client was told in FLAGS, by lower case. */
  private readonly keywords = new Map<string, string>();

  constructor(
    readonly folderId: string,
    readonly readOnly: boolean,
    readonly uidValidity: number,
    uids: number[],
    recent: Set<number>,
    /** Claims a new UID as \Recent for this session (read-write sessions only). */
    private readonly claimRecent: (uid: number) => boolean,
    keywords: readonly string[] = [],
  ) {
    this.uids = uids;
    this.recent = recent;
    for (const k of keywords) this.keywords.set(k.toLowerCase(), k);
  }

  /** FLAGS and PERMANENTFLAGS: the system flags and every keyword the client was told. */
  flagsLines(): string[] {
    const flags = [...SYSTEM_FLAG_NAMES, ...this.keywords.values()].join(" ");
    return [
      `* FLAGS (${flags})`,
      this.readOnly
        ? "* OK [PERMANENTFLAGS ()] No permanent flags permitted"
        : `* OK [PERMANENTFLAGS (${flags} \\*)] Flags permitted`,
    ];
  }

  /**
   * A message's keywords, about to be told: those the client does not know join its FLAGS, and
   * the new FLAGS lines come back to be sent first (RFC 3501 §7.2.6); else nothing.
   */
  announceKeywords(keywords: readonly string[]): string[] {
    let added = false;
    for (const k of keywords) {
      if (this.keywords.has(k.toLowerCase())) continue;
      this.keywords.set(k.toLowerCase(), k);
      added = true;
    }
    return added ? this.flagsLines() : [];
  }

  get exists(): number {
    return this.uids.length;
  }

  /**
   * The UIDs a set names: UIDs themselves (`byUid`, those not in the mailbox are ignored), or
   * message sequence numbers; null when a sequence number is out of range.
   */
  uidsOf(set: SequenceSet, byUid: boolean): number[] | null {
    if (byUid) return resolveUids(set, this.uids);
    const seqs = resolveSequenceNumbers(set, this.exists);
    return seqs === null ? null : seqs.map((s) => this.uids[s - 1] as number);
  }

  get hasPending(): boolean {
    return this.pending.length > 0 || this.held.length > 0;
  }

  /** Takes a change from the bus; returns true when it concerns this mailbox. */
  accept(change: MailboxChange): boolean {
    const relevant = this.queue(change);
    if (relevant) this.version++;
    return relevant;
  }

  private queue(change: MailboxChange): boolean {
    switch (change.type) {
      case "message.created":
        if (change.folderId !== this.folderId) return false;
        this.pending.push({ kind: "exists", uid: change.uid });
        return true;
      case "message.moved": {
        let relevant = false;
        if (change.fromFolderId === this.folderId) {
          this.pending.push({ kind: "expunge", uid: change.fromUid });
          relevant = true;
        }
        if (change.folderId === this.folderId) {
          this.pending.push({ kind: "exists", uid: change.uid });
          relevant = true;
        }
        return relevant;
      }
      case "message.deleted":
        if (change.folderId !== this.folderId) return false;
        this.pending.push({ kind: "expunge", uid: change.uid });
        return true;
      case "message.updated":
        if (change.folderId !== this.folderId) return false;
        this.pending.push({ kind: "flags", uid: change.uid, modseq: change.modseq, flags: change.flags });
        return true;
      case "folder.deleted":
        if (change.folderId !== this.folderId) return false;
        this.deleted = true;
        return true;
      default:
        return false;
    }
  }

  /** UIDs in the client's view whose expunge is not told yet. */
  pendingExpunges(): Set<number> {
    const out = new Set<number>();
    for (const p of [...this.held, ...this.pending])
      if (p.kind === "expunge" && this.seqOf(p.uid) > 0) out.add(p.uid);
    return out;
  }

  /** The UIDs the next flush tells as expunged (none while expunges are held back). */
  expungesDue(allowExpunge: boolean): number[] {
    return allowExpunge ? [...this.pendingExpunges()] : [];
  }

  /**
   * This session just told the client the flags of `uid` as of `modseq` (its own STORE, or a
   * FETCH): pending flag changes up to that MODSEQ are not told again.
   */
  markReported(uid: number, modseq: number): void {
    const stale = (p: Pending) => p.kind === "flags" && p.uid === uid && p.modseq <= modseq;
    if (this.pending.some(stale)) this.pending = this.pending.filter((p) => !stale(p));
  }

  /** Sequence number of a UID in the client's view, 0 when absent. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.uids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.uids[mid] as number;
      if (v === uid) return mid + 1;
      if (v < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The untagged responses for everything pending, in order, applying them to the view. */
  flush(opts: FlushOptions): string[] {
    const lines: string[] = [];
    const queue = opts.allowExpunge ? [...this.held, ...this.pending] : this.pending;
    if (opts.allowExpunge) this.held = [];
    this.pending = [];
    let existsChanged = false;
    let vanished: number[] = [];
    const tellExists = () => {
      if (existsChanged) {
        lines.push(`* ${this.uids.length} EXISTS`);
        const recent = this.recent.size;
        lines.push(`* ${recent} RECENT`);
        existsChanged = false;
      }
    };
    const tellVanished = () => {
      if (vanished.length > 0) {
        lines.push(`* VANISHED ${formatSequenceSet(vanished.sort((a, b) => a - b))}`);
        vanished = [];
      }
    };
    // A message changed several times is told its latest state once: a client that already saw a
    // later MODSEQ (a FETCH that read the row before the changes were published) never sees it drop.
    const latest = new Map<number, Pending>();
    for (const p of queue) if (p.kind === "flags") latest.set(p.uid, p);
    for (const p of queue) {
      if (p.kind === "exists") {
        const last = this.uids[this.uids.length - 1] ?? 0;
        if (p.uid <= last) continue; // already in the view (read after it was committed)
        tellVanished();
        this.uids.push(p.uid);
        if (!this.readOnly && this.claimRecent(p.uid)) this.recent.add(p.uid);
        existsChanged = true;
      } else if (p.kind === "expunge") {
        if (!opts.allowExpunge) {
          this.held.push(p);
          continue;
        }
        const seq = this.seqOf(p.uid);
        if (seq === 0) continue;
        tellExists();
        this.uids.splice(seq - 1, 1);
        this.recent.delete(p.uid);
        if (opts.qresync) vanished.push(p.uid);
        else lines.push(`* ${seq} EXPUNGE`);
      } else {
        const seq = this.seqOf(p.uid);
        if (seq === 0 || latest.get(p.uid) !== p) continue;
        tellVanished();
        tellExists();
        const modseq = opts.condstore ? ` MODSEQ (${p.modseq})` : "";
        lines.push(...this.announceKeywords(p.flags.keywords));
        lines.push(
          `* ${seq} FETCH (UID ${p.uid} FLAGS ${flagList(p.flags, this.recent.has(p.uid))}${modseq})`,
        );
      }
    }
    tellVanished();
    tellExists();
    return lines;
  }
}
