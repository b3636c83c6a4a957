/**
 * The sync actors of connected IMAP grants: one per grant, owning its provider connections and
 * writing what it reads through the mailbox actor's commands. Engineer 18a's code calls this after
 * connecting, after re-authenticating, after a write-through, and when a grant is deleted.
 */
export interface ConnectedSync {
  /** Starts (or keeps) the grant's sync actor: the initial sync, then live changes. */
  start(grantId: string): void;
  /** Stops the grant's sync actor and closes its provider connections (grant deleted). */
  stop(grantId: string): Promise<void>;
  /**
   * Syncs a folder (every folder when none is named) now, and resolves once the local rows
   * reflect the provider. A grant with no sync actor resolves at once.
   */
  syncNow(grantId: string, folderPath?: string): Promise<void>;
}

/** A ConnectedSync that does nothing: for surfaces started without the connected accounts. */
export const NO_CONNECTED_SYNC: ConnectedSync = {
  start() {},
  async stop() {},
  async syncNow() {},
};
