/**
 * \Recent (RFC 3501 §2.3.2): a message is recent in the first session that learns of it. Kept in
 * memory per folder as the highest UID some session has claimed; after a restart, messages that
 * arrived before it are not recent.
 */
export class RecentTracker {
  private readonly floors = new Map<string, number>();

  /** Claims every UID above the folder's floor for the caller (a read-write SELECT). */
  claimAll(grantId: string, folderId: string, uids: readonly number[], uidNext: number): Set<number> {
    const key = `${grantId}:${folderId}`;
    const floor = this.floors.get(key);
    const recent = new Set<number>();
    if (floor !== undefined) for (const uid of uids) if (uid > floor) recent.add(uid);
    this.floors.set(key, Math.max(floor ?? 0, uidNext - 1));
    this.trim();
    return recent;
  }

  /** Claims one new UID; false when another session already has. */
  claim(grantId: string, folderId: string, uid: number): boolean {
    const key = `${grantId}:${folderId}`;
    const floor = this.floors.get(key) ?? 0;
    if (uid <= floor) return false;
    this.floors.set(key, uid);
    return true;
  }

  /** The highest UID claimed so far in the folder (set to uidNext - 1 on first sight). */
  floor(grantId: string, folderId: string, uidNext: number): number {
    const key = `${grantId}:${folderId}`;
    const floor = this.floors.get(key);
    if (floor !== undefined) return floor;
    this.floors.set(key, uidNext - 1);
    return uidNext - 1;
  }

  private trim(): void {
    if (this.floors.size <= 200_000) return;
    // Forgetting a floor only means messages older than it are not recent anywhere: acceptable.
    this.floors.clear();
  }
}
