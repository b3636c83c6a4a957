/** Live sessions, per account: the per-account connection limit and shutdown. */

/** All the registry needs of a session: the account it counts against ("" before login). */
interface RegisteredSession {
  readonly grantId: string;
}

export class SessionRegistry {
  private readonly byGrant = new Map<string, Set<RegisteredSession>>();
  private readonly all = new Set<RegisteredSession>();

  add(session: RegisteredSession): void {
    this.all.add(session);
  }

  /**
   * Counts an authenticated session against its account; false when the account is at `max`, or
   * when the session is already gone (its connection closed while the login was being checked).
   */
  claim(grantId: string, session: RegisteredSession, max: number): boolean {
    if (!this.all.has(session)) return false;
    let set = this.byGrant.get(grantId);
    if (!set) {
      set = new Set();
      this.byGrant.set(grantId, set);
    }
    if (set.size >= max) return false;
    set.add(session);
    return true;
  }

  remove(session: RegisteredSession): void {
    this.all.delete(session);
    const set = this.byGrant.get(session.grantId);
    if (!set) return;
    set.delete(session);
    if (set.size === 0) this.byGrant.delete(session.grantId);
  }

  get size(): number {
    return this.all.size;
  }
}
