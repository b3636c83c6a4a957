import type { WebhookConfig } from "../../config/webhooks.ts";
import { eventsAfter, headSeq } from "../../events/log.ts";
import { sweepEvents } from "../../events/retention.ts";
import type { EventStreams } from "../../events/streams.ts";
import type { Logger } from "../../log.ts";
import type { Metrics } from "../../metrics.ts";
import type { EventRow, WebhookRow } from "../../store/schema.ts";
import type { Store } from "../../store/store.ts";
import { sweepAttempts } from "../attempts.ts";
import type { Reach } from "../reach.ts";
import { allWebhooks, loadWebhook } from "../webhooks.ts";
import { AttemptLog } from "./attempt-log.ts";
import { type EndpointContext, EndpointDelivery, type EndpointState } from "./endpoint-delivery.ts";
import { ProgressSaver } from "./progress-saver.ts";

/** Events read from the log per query of the tail. */
const TAIL_BATCH = 512;
/** A safety net only: every commit wakes the tail at once. */
const POLL_MS = 100;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const FIRST_SWEEP_MS = 60 * 1000;
/** How long in-flight deliveries get at shutdown before they are abandoned (and re-sent after restart). */
const SHUTDOWN_GRACE_MS = 1000;
/** Endpoints' cursors are saved together at most this often (a crash re-sends at most this much). */
const SAVE_EVERY_MS = 100;

/**
 * Tails the event log (the `events` rows every change commits with) and hands each event to the
 * endpoints of its application. Each endpoint is an EndpointDelivery with its own queue,
 * concurrency, retries and cursor, so a slow or dead endpoint only ever delays itself. It also
 * wakes event-stream readers, and sweeps the log past its retention.
 */
export class WebhookDispatcher {
  private readonly endpoints = new Map<string, EndpointDelivery>();
  private readonly byApplication = new Map<string, Set<EndpointDelivery>>();
  private readonly ctx: EndpointContext;
  private readonly saver: ProgressSaver;
  private readonly attempts: AttemptLog;
  private tailSeq = 0;
  private wakeQueued = false;
  private running = false;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly config: WebhookConfig,
    private readonly log: Logger,
    metrics: Metrics,
    private readonly streams: EventStreams,
    reach: (applicationId: string) => Reach,
  ) {
    this.saver = new ProgressSaver(store, log, SAVE_EVERY_MS);
    this.attempts = new AttemptLog(store, log, SAVE_EVERY_MS);
    this.ctx = {
      store,
      config,
      log,
      reach,
      tail: () => this.tailSeq,
      count: (outcome) =>
        metrics.inc("agentbox_webhook_attempts_total", "Webhook delivery attempts by outcome", { outcome }),
      progressed: (endpoint) => this.saver.mark(endpoint),
      attempted: (attempt) => this.attempts.add(attempt),
    };
  }

  async start(): Promise<void> {
    this.tailSeq = headSeq(this.store);
    this.running = true;
    for (const row of await allWebhooks(this.store)) this.add(row);
    this.unsubscribe = this.store.writer.onCommit(() => this.wake());
    this.timers.push(setInterval(() => this.wake(), POLL_MS));
    this.timers.push(setTimeout(() => void this.sweep(), FIRST_SWEEP_MS));
    this.timers.push(setInterval(() => void this.sweep(), SWEEP_EVERY_MS));
    for (const t of this.timers) t.unref();
  }

  /** Reads what is new in the log, right after the current task (coalesced). */
  wake(): void {
    if (this.wakeQueued || !this.running) return;
    this.wakeQueued = true;
    queueMicrotask(() => {
      this.wakeQueued = false;
      if (this.running) this.tail();
    });
  }

  /** A client created, changed or deleted the endpoint: adopt its committed row. */
  async refresh(webhookId: string): Promise<void> {
    const row = await loadWebhook(this.store, webhookId);
    const endpoint = this.endpoints.get(webhookId);
    if (!row) {
      if (endpoint) this.drop(endpoint);
      return;
    }
    if (!this.running) return;
    if (endpoint) endpoint.reconfigure(row);
    else this.add(row);
  }

  /** The endpoint's live progress; null if it is not being delivered (the row is then current). */
  state(webhookId: string): EndpointState | null {
    return this.endpoints.get(webhookId)?.state() ?? null;
  }

  /** Deletes events past retention that no endpoint needs any more. */
  async sweep(): Promise<number> {
    try {
      const deleted = await sweepEvents(this.store, Date.now() - this.config.eventRetentionMs);
      await sweepAttempts(this.store, Date.now() - this.config.eventRetentionMs);
      if (deleted > 0) this.log.info({ deleted }, "event log swept");
      return deleted;
    } catch (err) {
      this.log.error({ err }, "event log sweep failed");
      return 0;
    }
  }

  /** Stops tailing; deliveries in flight get a short grace, then are abandoned safely. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.all([...this.endpoints.values()].map((e) => e.stop(SHUTDOWN_GRACE_MS)));
    await this.saver.flush();
    await this.attempts.flush();
  }

  private tail(): void {
    for (;;) {
      const rows = eventsAfter(this.store, this.tailSeq, TAIL_BATCH);
      for (const event of rows) this.handOver(event);
      if (rows.length > 0) this.streams.notify();
      if (rows.length < TAIL_BATCH) return;
    }
  }

  private handOver(event: EventRow): void {
    this.tailSeq = event.seq;
    const endpoints = this.byApplication.get(event.applicationId);
    if (endpoints) for (const endpoint of endpoints) endpoint.offer(event);
  }

  private add(row: WebhookRow): void {
    const endpoint = new EndpointDelivery(this.ctx, row);
    this.endpoints.set(row.id, endpoint);
    let set = this.byApplication.get(row.applicationId);
    if (!set) {
      set = new Set();
      this.byApplication.set(row.applicationId, set);
    }
    set.add(endpoint);
    endpoint.start();
  }

  private drop(endpoint: EndpointDelivery): void {
    endpoint.remove();
    this.saver.forget(endpoint);
    this.endpoints.delete(endpoint.id);
    const set = this.byApplication.get(endpoint.applicationId);
    set?.delete(endpoint);
    if (set?.size === 0) this.byApplication.delete(endpoint.applicationId);
  }
}
