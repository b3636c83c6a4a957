import type { WebhookConfig } from "../../src/config/webhooks.ts";
import { eventsAfter, headSeq } from "../../src/events/log.ts";
import { sweepEvents } from "../../src/events/retention.ts";
import type { Logger } from "../../src/log.ts";
import type { Metrics } from "../../src/metrics.ts";
import type { EventRow, WebhookRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import type { Reach } from "../../src/webhooks/reach.ts";
import { allWebhooks, loadWebhook } from "../../src/webhooks/webhooks.ts";
import { type EndpointContext, type EndpointState, EndpointWorker } from "./endpoint.ts";
import { ProgressSaver } from "./progress.ts";
import { EventStreams } from "./streams.ts";

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
 * The outbox actor: tails the event log (the `events` rows every change commits with) and hands
 * each event to the endpoints of its application. Each endpoint is an EndpointWorker with its
 * own queue, concurrency, retries and cursor, so a slow or dead endpoint only ever delays itself.
 * It also wakes event-stream readers, and sweeps the log past its retention.
 */
export class OutboxActor {
  readonly streams = new EventStreams();
  private readonly workers = new Map<string, EndpointWorker>();
  private readonly byApplication = new Map<string, Set<EndpointWorker>>();
  private readonly ctx: EndpointContext;
  private readonly saver: ProgressSaver;
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
    reach: (applicationId: string) => Reach,
  ) {
    this.saver = new ProgressSaver(store, log, SAVE_EVERY_MS);
    this.ctx = {
      store,
      config,
      log,
      reach,
      tail: () => this.tailSeq,
      count: (outcome) =>
        metrics.inc("agentbox_webhook_attempts_total", "Webhook delivery attempts by outcome", { outcome }),
      progressed: (worker) => this.saver.mark(worker),
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
    const worker = this.workers.get(webhookId);
    if (!row) {
      if (worker) this.drop(worker);
      return;
    }
    if (!this.running) return;
    if (worker) worker.reconfigure(row);
    else this.add(row);
  }

  /** The endpoint's live progress; null if no worker runs it (the row is then current). */
  state(webhookId: string): EndpointState | null {
    return this.workers.get(webhookId)?.state() ?? null;
  }

  /** Deletes events past retention that no endpoint needs any more. */
  async sweep(): Promise<number> {
    try {
      const deleted = await sweepEvents(this.store, Date.now() - this.config.eventRetentionMs);
      if (deleted > 0) this.log.info({ deleted }, "event log swept");
      return deleted;
    } catch (err) {
      this.log.error({ err }, "event log sweep failed");
      return 0;
    }
  }

  /** Ends every event stream (before the HTTP server stops: open streams would hold it). */
  closeStreams(): void {
    this.streams.closeAll();
  }

  /** Stops tailing; deliveries in flight get a short grace, then are abandoned safely. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.streams.closeAll();
    await Promise.all([...this.workers.values()].map((w) => w.stop(SHUTDOWN_GRACE_MS)));
    await this.saver.flush();
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
    if (endpoints) for (const worker of endpoints) worker.offer(event);
  }

  private add(row: WebhookRow): void {
    const worker = new EndpointWorker(this.ctx, row);
    this.workers.set(row.id, worker);
    let set = this.byApplication.get(row.applicationId);
    if (!set) {
      set = new Set();
      this.byApplication.set(row.applicationId, set);
    }
    set.add(worker);
    worker.start();
  }

  private drop(worker: EndpointWorker): void {
    worker.remove();
    this.saver.forget(worker);
    this.workers.delete(worker.id);
    const set = this.byApplication.get(worker.applicationId);
    set?.delete(worker);
    if (set?.size === 0) this.byApplication.delete(worker.applicationId);
  }
}
