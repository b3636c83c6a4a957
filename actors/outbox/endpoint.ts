import type { WebhookConfig } from "../../src/config/webhooks.ts";
import { envelopeOf } from "../../src/events/envelope.ts";
import { objectOf } from "../../src/events/hydrate.ts";
import { eventAt, queryEvents } from "../../src/events/log.ts";
import type { Logger } from "../../src/log.ts";
import type { EventRow, WebhookRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import {
  type DueDelivery,
  dueDeliveries,
  moveStatus,
  nextDueAt,
  type Progress,
  recordAttempt,
  seqsWithDeliveries,
} from "../../src/webhooks/deliveries.ts";
import {
  type EncodedNotification,
  encodeNotification,
  notificationId,
} from "../../src/webhooks/notification.ts";
import { type PostResult, postNotification } from "../../src/webhooks/post.ts";
import type { Reach } from "../../src/webhooks/reach.ts";
import { eventTypesFor, subscribes } from "../../src/webhooks/triggers.ts";
import { triggersOf, type WebhookStatus } from "../../src/webhooks/webhooks.ts";
import { retryDelay } from "./backoff.ts";
import { Health } from "./health.ts";
import type { ProgressSource } from "./progress.ts";

export interface EndpointContext {
  store: Store;
  config: WebhookConfig;
  log: Logger;
  /** What an application's webhooks may reach (private addresses or not). */
  reach(applicationId: string): Reach;
  /** The newest log position the actor's tail has read. */
  tail(): number;
  count(outcome: "delivered" | "retry" | "failed"): void;
  /** The endpoint's progress changed: save it with the next batch. */
  progressed(worker: EndpointWorker): void;
}

/** What the endpoint knows now (the row lags by up to a save interval). */
export interface EndpointState {
  queued: number;
  inFlight: number;
  cursor: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** `skip`: the endpoint subscribed only to the `.truncated` variant, and this one is not truncated. */
type Prepared = EncodedNotification | { error: string; retry: boolean } | { skip: true };

/**
 * Delivers one endpoint's notifications. Its own bounded queue and concurrency: nothing here
 * waits on another endpoint. First attempts start in log order; a failed one becomes a durable
 * retry row (webhook_deliveries) and stops holding back the ones after it.
 *
 * The cursor (saved on the webhook row) is the position below which every event is settled:
 * delivered, recorded for retry, or not for this endpoint. After a restart delivery resumes after
 * it; first attempts in flight at a crash are sent again, with the same notification id.
 */
export class EndpointWorker implements ProgressSource {
  private triggers: Set<string>;
  private readTypes: string[];
  /** Every event up to here is queued, attempted, or not for this endpoint. */
  private readPos: number;
  /** Fed by the actor's tail; otherwise it reads the log itself (catching up, or its queue was full). */
  private live = false;
  private queue: EventRow[] = [];
  /** First attempts whose outcome is not durable yet: they hold the cursor back. */
  private held = new Set<number>();
  private firstInFlight = 0;
  private retrying = new Set<number>();
  private nextRetryAt: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly health: Health;
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  /** No new attempts (shutting down, or deleted). */
  private stopping = false;
  /** Outcomes are dropped (abandoned at shutdown: they are re-sent after restart). */
  private stopped = false;
  private savedCursor: number;
  private outcome = {
    lastSuccessAt: null as number | null,
    lastError: null as string | null,
    lastErrorAt: null as number | null,
  };
  private outcomeDirty = false;

  constructor(
    private readonly ctx: EndpointContext,
    private row: WebhookRow,
  ) {
    this.triggers = new Set(triggersOf(row));
    this.readTypes = eventTypesFor(this.triggers);
    this.readPos = row.cursor;
    this.savedCursor = row.cursor;
    this.outcome = {
      lastSuccessAt: row.lastSuccessAt,
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt,
    };
    this.health = new Health(ctx.config);
  }

  get id(): string {
    return this.row.id;
  }

  get applicationId(): string {
    return this.row.applicationId;
  }

  start(): void {
    this.nextRetryAt = nextDueAt(this.ctx.store, this.row.id, this.retrying);
    this.armRetryTimer();
    this.pump();
  }

  state(): EndpointState {
    return {
      queued: this.queue.length,
      inFlight: this.firstInFlight + this.retrying.size,
      cursor: this.cursor(),
      ...this.outcome,
    };
  }

  /** An event from the actor's tail (every application event, in log order). */
  offer(event: EventRow): void {
    if (!this.live || event.seq <= this.readPos) return;
    if (!subscribes(this.triggers, event.type)) {
      this.readPos = event.seq;
      this.touch();
      return;
    }
    if (this.queue.length >= this.ctx.config.queueSize) {
      // Full: leave it in the log; the endpoint reads it from there when it has room.
      this.live = false;
      return;
    }
    this.queue.push(event);
    this.readPos = event.seq;
    this.startAttempts();
  }

  /** The client changed the endpoint (settings, status, secret). */
  reconfigure(row: WebhookRow): void {
    const before = this.row;
    this.row = row;
    if (row.triggerTypesJson !== before.triggerTypesJson) {
      this.triggers = new Set(triggersOf(row));
      this.readTypes = eventTypesFor(this.triggers);
      this.rewind();
    }
    if (!this.deliverable) this.rewind();
    if (row.status === "active" && before.status !== "active") this.health.reset();
    this.nextRetryAt = nextDueAt(this.ctx.store, row.id, this.retrying);
    this.armRetryTimer();
    this.pump();
  }

  /**
   * Shutdown: no new attempts; those in flight get `graceMs` to finish (their outcome is
   * recorded), then are abandoned (they stay behind the cursor and are sent again after restart).
   * The actor saves the progress of every endpoint after.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.clearRetryTimer();
    await Promise.race([Promise.allSettled(this.running), Bun.sleep(graceMs)]);
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled(this.running);
  }

  /** The endpoint was deleted: drop everything, save nothing. */
  remove(): void {
    this.stopping = true;
    this.stopped = true;
    this.abort.abort();
    this.clearRetryTimer();
  }

  progress(): Progress {
    this.outcomeDirty = false;
    return { cursor: this.cursor(), ...this.outcome };
  }

  saved(p: Progress): void {
    this.savedCursor = Math.max(this.savedCursor, p.cursor);
  }

  private get deliverable(): boolean {
    return !this.stopping && (this.row.status === "active" || this.row.status === "failing");
  }

  private pump(): void {
    if (!this.deliverable) return;
    if (!this.live) this.catchUp();
    this.startAttempts();
    this.startRetries();
  }

  /**
   * Reads the next chunk of the log into the queue, once the queue is down to half (so the log
   * is read in large chunks, not one row per delivery); goes live once it reaches the tail.
   */
  private catchUp(): void {
    const room = this.ctx.config.queueSize - this.queue.length;
    const upTo = this.ctx.tail();
    if (this.readPos < upTo && room >= this.ctx.config.queueSize / 2) {
      const rows = queryEvents(this.ctx.store, {
        applicationId: this.row.applicationId,
        after: this.readPos,
        upTo,
        types: this.readTypes,
        limit: room,
      });
      const last = rows.length === room ? (rows.at(-1) as EventRow).seq : upTo;
      // After a crash, an event may already be in retry although the cursor had not moved past it.
      const inRetry = seqsWithDeliveries(this.ctx.store, this.row.id, this.readPos, last);
      for (const e of rows) if (!inRetry.has(e.seq) && subscribes(this.triggers, e.type)) this.queue.push(e);
      this.readPos = last;
      this.touch();
    }
    // Synchronous reads: the tail cannot have moved since `upTo` was taken.
    if (this.readPos >= this.ctx.tail()) this.live = true;
  }

  /** Starts first attempts in log order, up to the endpoint's concurrency. */
  private startAttempts(): void {
    while (this.deliverable && this.queue.length > 0 && this.slotsInUse() < this.ctx.config.concurrency) {
      const event = this.queue.shift() as EventRow;
      this.held.add(event.seq);
      this.firstInFlight++;
      const id = notificationId(this.row.id, event.id);
      this.track(this.attempt(event.seq, id, 1, this.prepare(event, id, 1), false));
    }
  }

  /** Due retries, in at most half of the slots: fresh notifications always keep some. */
  private startRetries(): void {
    if (this.nextRetryAt === null || this.nextRetryAt > Date.now()) return;
    const retrySlots = Math.max(1, Math.floor(this.ctx.config.concurrency / 2));
    const free = Math.min(retrySlots - this.retrying.size, this.ctx.config.concurrency - this.slotsInUse());
    if (free <= 0) return; // a finishing attempt pumps again
    for (const due of dueDeliveries(this.ctx.store, this.row.id, Date.now(), this.retrying, free)) {
      this.retrying.add(due.eventSeq);
      this.track(this.retry(due));
    }
    this.nextRetryAt = nextDueAt(this.ctx.store, this.row.id, this.retrying);
    this.armRetryTimer();
  }

  private async retry(due: DueDelivery): Promise<void> {
    const attempt = due.attempt + 1;
    const event = eventAt(this.ctx.store, due.eventSeq);
    const prepared: Prepared = event
      ? this.prepare(event, due.notificationId, attempt)
      : { error: "the event is no longer in the log", retry: false };
    await this.attempt(due.eventSeq, due.notificationId, attempt, prepared, true);
  }

  private prepare(event: EventRow, id: string, attempt: number): Prepared {
    try {
      const object = objectOf(this.ctx.store, event);
      const encoded = encodeNotification(
        envelopeOf(event, object, id, attempt),
        this.row.secret,
        this.row.compressedDelivery,
      );
      if (attempt > 1) return encoded; // a retry was for this endpoint at its first attempt
      const type = encoded.truncated ? `${event.type}.truncated` : event.type;
      return this.triggers.has(type) || this.triggers.has(event.type) ? encoded : { skip: true };
    } catch (err) {
      this.ctx.log.error(
        { err, webhookId: this.row.id, seq: event.seq },
        "cannot build webhook notification",
      );
      return { error: `could not build the notification: ${(err as Error).message}`, retry: true };
    }
  }

  private async attempt(
    seq: number,
    id: string,
    attempt: number,
    prepared: Prepared,
    isRetry: boolean,
  ): Promise<void> {
    if ("skip" in prepared) return this.skip(seq, isRetry);
    const result: PostResult =
      "error" in prepared
        ? { ok: false, retry: prepared.retry, status: null, error: prepared.error }
        : await postNotification(
            this.row.url,
            prepared.body,
            prepared.headers,
            this.ctx.config.timeoutMs,
            this.ctx.reach(this.row.applicationId),
            this.abort.signal,
          );
    if (this.stopped) return;
    const durable = await this.settle(seq, id, attempt, result, isRetry);
    if (isRetry) this.retrying.delete(seq);
    else {
      this.firstInFlight--;
      if (durable) this.held.delete(seq);
    }
    this.touch();
    this.pump();
  }

  /** Not for this endpoint after all (only ever a first attempt): settled without a request. */
  private skip(seq: number, isRetry: boolean): void {
    if (isRetry) this.retrying.delete(seq);
    else this.firstInFlight--;
    this.held.delete(seq);
    this.touch();
    this.pump();
  }

  /** Records the outcome; false if it could not be made durable (the cursor then stays behind it). */
  private async settle(
    seq: number,
    id: string,
    attempt: number,
    result: PostResult,
    isRetry: boolean,
  ): Promise<boolean> {
    const now = Date.now();
    if (result.ok) {
      this.ctx.count("delivered");
      this.outcome.lastSuccessAt = Math.floor(now / 1000);
      this.outcomeDirty = true;
      this.moveTo(this.health.succeeded(this.row.status));
      if (!isRetry) return true;
      return this.record(seq, id, attempt, "delivered", now, result.status, null);
    }
    this.outcome.lastError = result.error;
    this.outcome.lastErrorAt = Math.floor(now / 1000);
    this.outcomeDirty = true;
    this.moveTo(this.health.attemptFailed(this.row.status, now));
    const delay = result.retry ? retryDelay(this.ctx.config.retryScheduleMs, attempt) : null;
    const status = delay === null ? "failed" : "pending";
    this.ctx.count(status === "failed" ? "failed" : "retry");
    const durable = await this.record(
      seq,
      id,
      attempt,
      status,
      now + (delay ?? 0),
      result.status,
      result.error,
    );
    if (delay !== null) this.noteRetryAt(now + delay);
    else this.moveTo(this.health.notificationFailed(this.row.status));
    return durable;
  }

  private async record(
    seq: number,
    notification: string,
    attempt: number,
    status: "pending" | "delivered" | "failed",
    nextAttemptAtMs: number,
    lastStatus: number | null,
    lastError: string | null,
  ): Promise<boolean> {
    try {
      await recordAttempt(this.ctx.store, {
        webhookId: this.row.id,
        eventSeq: seq,
        notificationId: notification,
        attempt,
        status,
        nextAttemptAtMs,
        lastStatus,
        lastError,
      });
      return true;
    } catch (err) {
      if (!this.stopped)
        this.ctx.log.error({ err, webhookId: this.row.id, seq }, "cannot record webhook attempt");
      return false;
    }
  }

  private moveTo(to: WebhookStatus | null): void {
    const from = this.row.status;
    if (!to || to === from) return;
    this.row = { ...this.row, status: to };
    if (!this.deliverable) this.rewind();
    this.ctx.log.warn({ webhookId: this.row.id, from, to }, "webhook status changed");
    moveStatus(this.ctx.store, this.row.id, [from], to).catch((err: unknown) =>
      this.ctx.log.error({ err, webhookId: this.row.id }, "cannot save webhook status"),
    );
  }

  /** Forgets the queue (it is re-read from the log later) and stops taking the tail. */
  private rewind(): void {
    this.live = false;
    const first = this.queue[0];
    if (first) this.readPos = first.seq - 1;
    this.queue = [];
    if (!this.deliverable) this.clearRetryTimer();
  }

  private slotsInUse(): number {
    return this.firstInFlight + this.retrying.size;
  }

  private noteRetryAt(at: number): void {
    if (this.nextRetryAt !== null && this.nextRetryAt <= at) return;
    this.nextRetryAt = at;
    this.armRetryTimer();
  }

  private armRetryTimer(): void {
    this.clearRetryTimer();
    if (this.nextRetryAt === null || !this.deliverable) return;
    const delay = Math.min(Math.max(0, this.nextRetryAt - Date.now()), 2 ** 31 - 1);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) =>
      this.ctx.log.error({ err, webhookId: this.row.id }, "webhook delivery crashed"),
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private cursor(): number {
    let low = this.queue[0]?.seq ?? Number.POSITIVE_INFINITY;
    for (const seq of this.held) if (seq < low) low = seq;
    return low === Number.POSITIVE_INFINITY ? this.readPos : Math.min(low - 1, this.readPos);
  }

  /** Asks for a save if the cursor moved or an outcome changed (the actor batches saves). */
  private touch(): void {
    if (this.stopped) return;
    if (this.cursor() > this.savedCursor || this.outcomeDirty) this.ctx.progressed(this);
  }
}
