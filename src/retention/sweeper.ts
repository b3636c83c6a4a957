import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { Guardrails } from "../guardrails/governance.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const DAY_S = 86_400;

export interface RetentionOptions {
  /** Between two sweeps (hourly). */
  intervalMs: number;
  /** The first sweep, after the start. */
  firstDelayMs: number;
  /** Messages deleted per unit. */
  batch: number;
  /** Unix seconds now (tests move it). */
  clock: () => number;
}

export interface SweepResult {
  accounts: number;
  inbox: number;
  spam: number;
}

/**
 * Deletes what outlived a policy's retention periods, in the background: every account whose
 * policy sets `limit_inbox_retention_period` or `limit_spam_retention_period` is asked to expire
 * messages received before now minus the period (never one second earlier), a batch per unit,
 * through its actor (message.deleted for each). Nothing is remembered between sweeps: a restart
 * simply sweeps again. An account without such a policy keeps its mail forever.
 */
export class RetentionSweeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<SweepResult> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      mailboxes: Mailboxes;
      guardrails: Guardrails;
      log: Logger;
      metrics?: Metrics;
    },
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.options.firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One sweep over every account (a sweep already running is joined, not doubled). */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweep()
        .catch((err) => this.deps.log.error({ err }, "retention sweep failed; the next one retries"))
        .finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async sweepAll(): Promise<SweepResult> {
    const result: SweepResult = { accounts: 0, inbox: 0, spam: 0 };
    const now = this.options.clock();
    const rows = this.deps.store.read
      .select({
        id: grants.id,
        applicationId: grants.applicationId,
        workspaceId: grants.workspaceId,
        settingsJson: grants.settingsJson,
      })
      .from(grants)
      .all();
    for (const grant of rows) {
      if (this.stopped) break;
      const { inboxRetentionDays, spamRetentionDays } = this.deps.guardrails.forGrant(grant).limits;
      if (inboxRetentionDays === null && spamRetentionDays === null) continue;
      result.accounts += 1;
      const cutoffs = {
        inboxBefore: inboxRetentionDays === null ? null : now - inboxRetentionDays * DAY_S,
        spamBefore: spamRetentionDays === null ? null : now - spamRetentionDays * DAY_S,
      };
      await this.expire(grant.id, cutoffs, result);
    }
    if (result.inbox + result.spam > 0) this.deps.log.info(result, "retention sweep removed messages");
    return result;
  }

  private async expire(
    grantId: string,
    cutoffs: { inboxBefore: number | null; spamBefore: number | null },
    result: SweepResult,
  ): Promise<void> {
    const { batch } = this.options;
    for (;;) {
      if (this.stopped) return;
      const r = await this.deps.mailboxes
        .ask(grantId, "expireMessages", { ...cutoffs, limit: batch })
        .catch((err: unknown) => {
          // An account deleted meanwhile has nothing left to expire.
          this.deps.log.warn({ err: (err as Error).message, grantId }, "retention: account skipped");
          return { inbox: 0, spam: 0 };
        });
      result.inbox += r.inbox;
      result.spam += r.spam;
      this.count("inbox", r.inbox);
      this.count("spam", r.spam);
      if (r.inbox + r.spam < batch) return;
    }
  }

  private count(kind: "inbox" | "spam", n: number): void {
    if (n === 0) return;
    this.deps.metrics?.inc(
      "agentbox_retention_removed_total",
      "Messages deleted because they outlived their policy's retention period",
      { folder: kind },
      n,
    );
  }
}
