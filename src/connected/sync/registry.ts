import type { Mailboxes } from "../../../actors/mailboxes.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/store.ts";
import { listConnectedGrantIds } from "../account.ts";
import { ConnectionSlots } from "./connection-slots.ts";
import { GrantSync } from "./grant-sync.ts";

/**
 * The sync actors of connected IMAP grants: one per grant, owning its provider connections and
 * writing what it reads through the mailbox actor's commands. The connect flow and the
 * write-through call it after connecting, after re-authenticating, after a write-through, and
 * when a grant is deleted.
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

export interface ConnectedSyncsOptions {
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  /** AGENTBOX_PROVIDER_CA_FILE: a CA for provider certificates beside the system store. */
  providerCaFile: string | null;
  /** Sync passes in flight across every grant (each holds one provider connection). */
  maxPasses?: number;
  /** IDLE connections across every grant (two per grant at most); beyond, grants are polled. */
  maxIdleConnections?: number;
  /** How often every folder is polled besides IDLE. */
  pollMs?: number;
  /** Unix ms (tests move it to check the rolling window). */
  now?: () => number;
}

/** Every connected grant's sync actor, by grant: started at boot and by the connect flow. */
export class ConnectedSyncs implements ConnectedSync {
  private readonly syncs = new Map<string, GrantSync>();
  private readonly passSlots: ConnectionSlots;
  private readonly idleSlots: ConnectionSlots;

  constructor(private readonly options: ConnectedSyncsOptions) {
    this.passSlots = new ConnectionSlots(options.maxPasses ?? 16);
    this.idleSlots = new ConnectionSlots(options.maxIdleConnections ?? 1_000);
  }

  /** Starts the sync of every connected grant (at boot). */
  async startAll(): Promise<void> {
    for (const grantId of await listConnectedGrantIds(this.options.store)) this.start(grantId);
  }

  start(grantId: string): void {
    let sync = this.syncs.get(grantId);
    if (!sync) {
      const { store, mailboxes, log } = this.options;
      sync = new GrantSync(
        {
          grantId,
          store,
          mailboxes,
          log,
          now: this.options.now ?? Date.now,
          stopping: () => sync?.stopped ?? true,
        },
        {
          caFile: this.options.providerCaFile,
          passSlots: this.passSlots,
          idleSlots: this.idleSlots,
          pollMs: this.options.pollMs ?? 45_000,
        },
      );
      this.syncs.set(grantId, sync);
    }
    sync.start();
  }

  async stop(grantId: string): Promise<void> {
    const sync = this.syncs.get(grantId);
    this.syncs.delete(grantId);
    await sync?.stop();
  }

  async syncNow(grantId: string, folderPath?: string): Promise<void> {
    await this.syncs.get(grantId)?.syncNow(folderPath);
  }

  /** Provider connections open now: sync passes and IDLE connections, across every grant. */
  get connections(): { passes: number; idle: number } {
    return { passes: this.passSlots.inUse, idle: this.idleSlots.inUse };
  }

  /** Stops every sync (server shutdown): passes in flight finish their batch. */
  async shutdown(): Promise<void> {
    const all = [...this.syncs.values()];
    this.syncs.clear();
    await Promise.all(all.map((s) => s.stop()));
  }
}
