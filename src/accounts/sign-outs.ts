/**
 * Tells live protocol sessions that their account's login no longer stands (the app password was
 * rotated or removed, or the account deleted), so they end at once, an IDLE included, instead of at
 * their next command. In-process fan-out, like the ChangeBus; whoever commits such a change
 * announces it after the commit.
 */
type Listener = () => void;

export class SignOuts {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(grantId: string, listener: Listener): () => void {
    let set = this.listeners.get(grantId);
    if (!set) {
      set = new Set();
      this.listeners.set(grantId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(grantId);
    };
  }

  announce(grantId: string): void {
    for (const listener of [...(this.listeners.get(grantId) ?? [])]) {
      try {
        listener();
      } catch {
        // a session's failure to end is its own
      }
    }
  }
}
