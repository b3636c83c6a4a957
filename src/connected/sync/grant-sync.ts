import type { ImapFlow } from "imapflow";
import { type ConnectedAccount, loadConnectedAccount } from "../account.ts";
import { folderSyncStates } from "../provider-index.ts";
import { grantIsInvalid, markGrantExpired, recordSyncCompleted } from "../sync-events.ts";
import { reconnectDelayMs } from "./backoff.ts";
import type { ConnectionSlots } from "./connection-slots.ts";
import { forgetVanishedFolders, type MappedFolder, mapFolders } from "./folder-map.ts";
import { syncFolder } from "./folder-sync.ts";
import { closeQuietly, isAuthenticationFailure, openProviderClient } from "./provider-client.ts";
import type { SyncContext } from "./sync-context.ts";
import { purgeOutsideWindow } from "./window.ts";

export interface GrantSyncOptions {
  /** The operator's CA file for provider certificates (AGENTBOX_PROVIDER_CA_FILE), or null. */
  caFile: string | null;
  /** Bounds sync passes in flight across every grant (taken once a pass's connection is up). */
  passSlots: ConnectionSlots;
  /** Bounds IDLE connections across every grant. */
  idleSlots: ConnectionSlots;
  /** How often every folder is polled (IDLE or not). */
  pollMs: number;
}

/** The folders kept under IDLE: what an agent waits on (at most two connections per grant). */
const IDLE_FOLDERS = ["inbox", "sent"];
/** How often Inbox and Sent are polled at a provider without IDLE. */
const NO_IDLE_POLL_MS = 5_000;
/** A watch that held this long was steady: the next failure backs off from the start. */
const STEADY_MS = 60_000;
/** How long the last pass's connection stays open for the next pass. */
const KEEP_PASS_CONNECTION_MS = 30_000;
/** Provider notifications within this many ms make one pass. */
const DEBOUNCE_MS = 25;

/**
 * One connected grant's sync: the only code that talks to its provider for reading. A pass (a
 * short-lived connection: map the folders, sync each, purge the window) runs one at a time;
 * between passes two IDLE connections (Inbox, Sent) ask for a pass as soon as the provider
 * reports a change, and a timer asks for one every `pollMs`. When a connection fails the sync
 * reconnects with backoff and jitter; when the provider refuses the credentials the grant is
 * marked invalid (grant.expired) and the sync stops until `start` again (a re-connect).
 */
export class GrantSync {
  private isStopped = false;
  private running: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued = new Map<string, Promise<void>>();
  private folders: MappedFolder[] = [];
  private watchers: ImapFlow[] = [];
  private releaseIdle: (() => void)[] = [];
  private wakeWatch: (() => void) | null = null;
  private wakeSleep: (() => void) | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private fallbackTimer: ReturnType<typeof setInterval> | null = null;
  private debounce = new Map<string, ReturnType<typeof setTimeout>>();
  private kept: { client: ImapFlow; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly options: GrantSyncOptions,
  ) {}

  get stopped(): boolean {
    return this.isStopped;
  }

  get grantId(): string {
    return this.ctx.grantId;
  }

  /** Starts the loop unless it runs; a sleeping reconnect is woken up. */
  start(): void {
    this.isStopped = false;
    if (this.running) {
      this.wakeSleep?.();
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.wakeSleep?.();
    this.wakeWatch?.();
    this.closeWatchers();
    await this.running;
    await this.chain;
  }

  /**
   * A pass over one folder (or every folder), queued behind the pass in progress; a request for a
   * pass already queued joins it. Rejects when the provider cannot be reached.
   */
  syncNow(folderPath?: string): Promise<void> {
    const key = folderPath ?? "*";
    const all = this.queued.get("*");
    if (all) return all;
    const same = this.queued.get(key);
    if (same) return same;
    const run = this.chain.then(async () => {
      this.queued.delete(key);
      await this.pass(folderPath);
    });
    this.queued.set(key, run);
    this.chain = run.catch(() => {});
    return run;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.isStopped) {
      try {
        const account = await loadConnectedAccount(this.ctx.store, this.grantId);
        if (!account || grantIsInvalid(this.ctx.store, this.grantId)) return;
        await this.syncNow();
        const watching = Date.now();
        // The backoff starts over only after a steady watch: a provider that drops connections
        // as soon as they are made is not reconnected to every second.
        await this.watch(account).finally(() => {
          if (Date.now() - watching > STEADY_MS) attempt = 0;
        });
      } catch (err) {
        if (isAuthenticationFailure(err)) {
          await this.expire();
          return;
        }
        this.ctx.log.warn(
          { grant_id: this.grantId, err: describe(err), attempt },
          "connected sync: provider unreachable",
        );
      } finally {
        this.closeWatchers();
      }
      if (this.isStopped) return;
      await this.sleep(reconnectDelayMs(attempt++));
    }
  }

  private async pass(folderPath?: string): Promise<void> {
    if (this.isStopped) return;
    const account = await loadConnectedAccount(this.ctx.store, this.grantId);
    if (!account) return;
    let release: (() => void) | null = null;
    let client: ImapFlow | null = null;
    try {
      // The slot is taken once the provider has let us in: a dead or slow provider's connection
      // attempts hold no slot, so they cannot delay other grants' passes.
      client = await this.passClient(account);
      release = await this.options.passSlots.acquire();
      // A folder not mapped yet (created or renamed through the API since the last full pass)
      // makes the pass list the provider's folders again.
      if (!folderPath || !this.folders.some((f) => f.path === folderPath)) {
        this.folders = await mapFolders(this.ctx, client);
        await forgetVanishedFolders(this.ctx, this.folders);
      }
      for (const folder of this.folders) {
        if (this.isStopped) return;
        if (!folderPath || folder.path === folderPath) await syncFolder(this.ctx, client, folder);
      }
      this.keep(client);
      client = null;
    } catch (err) {
      if (isAuthenticationFailure(err)) await this.expire();
      throw err;
    } finally {
      closeQuietly(client);
      release?.();
    }
    if (!folderPath) await this.afterFullPass();
  }

  /**
   * The connection of the last pass if it is still open (kept KEEP_PASS_CONNECTION_MS), else a new
   * one: a burst of IDLE notifications costs one login, not one each.
   */
  private async passClient(account: ConnectedAccount): Promise<ImapFlow> {
    const kept = this.kept;
    this.kept = null;
    if (kept) {
      clearTimeout(kept.timer);
      if (kept.client.usable) {
        // A folder still selected shows the counters of its last SELECT: each pass selects anew.
        if (kept.client.mailbox) await kept.client.mailboxClose().catch(() => {});
        if (kept.client.usable) return kept.client;
      }
      closeQuietly(kept.client);
    }
    return openProviderClient(account, this.options.caFile, "pass");
  }

  private keep(client: ImapFlow): void {
    this.dropKept();
    if (this.isStopped) {
      client.logout().catch(() => closeQuietly(client));
      return;
    }
    const timer = setTimeout(() => this.dropKept(), KEEP_PASS_CONNECTION_MS);
    this.kept = { client, timer };
  }

  private dropKept(): void {
    if (!this.kept) return;
    clearTimeout(this.kept.timer);
    const { client } = this.kept;
    this.kept = null;
    client.logout().catch(() => closeQuietly(client));
  }

  /** The provider refused the credentials: grant.expired (once), and no retry until a re-connect. */
  private async expire(): Promise<void> {
    if (await markGrantExpired(this.ctx.store, this.grantId)) {
      this.ctx.log.warn({ grant_id: this.grantId }, "connected sync: provider refused the credentials");
    }
    this.wakeWatch?.();
  }

  private async afterFullPass(): Promise<void> {
    await purgeOutsideWindow(this.ctx);
    const states = folderSyncStates(this.ctx.store, this.grantId);
    if (states.length > 0 && states.every((s) => s.initialDone)) {
      if (await recordSyncCompleted(this.ctx.store, this.grantId)) {
        this.ctx.log.info({ grant_id: this.grantId }, "connected sync: initial sync completed");
      }
    }
  }

  /** Holds IDLE on Inbox and Sent and polls every folder until a connection fails or stop(). */
  private async watch(account: ConnectedAccount): Promise<void> {
    const ended = new Promise<void>((resolve) => {
      this.wakeWatch = resolve;
    });
    const idleFolders = this.folders.filter((f) => IDLE_FOLDERS.includes(f.folderId));
    for (const folder of idleFolders) {
      if (this.isStopped) return;
      const release = this.options.idleSlots.tryAcquire();
      if (!release) break; // over the bound in total: this grant is polled only
      this.releaseIdle.push(release);
      const client = await openProviderClient(account, this.options.caFile, "idle");
      if (!client.capabilities.has("IDLE")) {
        // No IDLE at this provider: Inbox and Sent are polled often instead.
        closeQuietly(client);
        this.releaseIdle.pop()?.();
        this.fallbackTimer = setInterval(() => {
          for (const f of idleFolders) this.soon(f.path);
        }, NO_IDLE_POLL_MS);
        break;
      }
      this.watchers.push(client);
      client.on("close", () => this.wakeWatch?.());
      for (const event of ["exists", "expunge", "flags"] as const)
        client.on(event, () => this.soon(folder.path));
      await client.mailboxOpen(folder.path, { readOnly: true });
      // imapflow enters IDLE by itself once the connection has nothing else to do.
    }
    if (this.isStopped) return;
    this.pollTimer = setInterval(() => this.soon(), this.options.pollMs);
    // A change between the pass and IDLE starting is caught by one more pass.
    this.soon();
    await ended;
    if (!this.isStopped) throw new Error("a provider connection closed");
  }

  /** A pass shortly (provider notifications come in bursts); errors end in the loop's reconnect. */
  private soon(folderPath?: string): void {
    const key = folderPath ?? "*";
    if (this.debounce.has(key)) return;
    this.debounce.set(
      key,
      setTimeout(() => {
        this.debounce.delete(key);
        this.syncNow(folderPath).catch((err) => {
          this.ctx.log.warn({ grant_id: this.grantId, err: describe(err) }, "connected sync: pass failed");
          this.wakeWatch?.();
        });
      }, DEBOUNCE_MS),
    );
  }

  private closeWatchers(): void {
    this.dropKept();
    if (this.fallbackTimer) clearInterval(this.fallbackTimer);
    this.fallbackTimer = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    for (const timer of this.debounce.values()) clearTimeout(timer);
    this.debounce.clear();
    for (const client of this.watchers) closeQuietly(client);
    this.watchers = [];
    for (const release of this.releaseIdle) release();
    this.releaseIdle = [];
    this.wakeWatch = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wakeSleep = null;
    });
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
