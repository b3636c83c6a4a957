/**
 * \Recent (RFC 3501 §2.3.2): a message is recent in exactly one session, the first that learns of
 * it (a read-write SELECT, or a new message announced to a selected session). Kept in memory per
 * folder as the highest UID some session has claimed. A folder first seen in this process starts
 * at the newest message stored before the process started: what arrived since is recent, what
 * was there before is taken as seen by an earlier process (after a restart nothing is recent
 * twice; a message moved in before the restart and never selected is not recent).
 */
export type FloorAtStart = (grantId: string, folderId: string) => number;

export class RecentTracker {
  private readonly floors = new Map<string, number>();

  constructor(private readonly floorAtStart: FloorAtStart) {}

  /** Claims every UID above the folder's floor for the caller (a read-write SELECT). */
  claimAll(grantId: string, folderId: string, uids: readonly number[], uidNext: number): Set<number> {
    const recent = this.peek(grantId, folderId, uids);
    this.floors.set(`${grantId}:${folderId}`, Math.max(this.floor(grantId, folderId), uidNext - 1));
    this.trim();
    return recent;
  }

  /** The UIDs a claim would take, without taking them (EXAMINE). */
  peek(grantId: string, folderId: string, uids: readonly number[]): Set<number> {
    const floor = this.floor(grantId, folderId);
    const recent = new Set<number>();
    for (let i = uids.length - 1; i >= 0 && (uids[i] as number) > floor; i--) recent.add(uids[i] as number);
    return recent;
  }

  /** Claims one new UID; false when another session already has. */
  claim(grantId: string, folderId: string, uid: number): boolean {
    if (uid <= this.floor(grantId, folderId)) return false;
    this.floors.set(`${grantId}:${folderId}`, uid);
    return true;
  }

  /** The highest UID claimed so far in the folder. */
  floor(grantId: string, folderId: string): number {
    const key = `${grantId}:${folderId}`;
    let floor = this.floors.get(key);
    if (floor === undefined) {
      floor = this.floorAtStart(grantId, folderId);
      this.floors.set(key, floor);
    }
    return floor;
  }

  private trim(): void {
    if (this.floors.size <= 200_000) return;
    // Forgetting floors only means they are read again as at the start: messages that arrived
    // since then are recent once more. Rare, and better than unbounded memory.
    this.floors.clear();
  }
}
