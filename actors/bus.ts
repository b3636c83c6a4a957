import type { MailboxChange } from "../src/domain/changes.ts";

type Listener = (change: MailboxChange) => void;

/**
 * In-process fan-out of committed changes, per grant. The mailbox actor publishes after commit;
 * IMAP sessions, long-polls and streams subscribe. A throwing listener never affects the others.
 */
export class ChangeBus {
  private listeners = new Map<string, Set<Listener>>();

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

  publish(grantId: string, change: MailboxChange): void {
    const set = this.listeners.get(grantId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(change);
      } catch {
        // a subscriber's failure is its own
      }
    }
  }
}
