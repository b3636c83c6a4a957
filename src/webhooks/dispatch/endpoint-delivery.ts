import type { WebhookConfig } from "../../config/webhooks.ts";
import { envelopeOf } from "../../events/envelope.ts";
import { eventAt, queryEvents } from "../../events/log.ts";
import type { Logger } from "../../log.ts";
import { objectOf } from "../../present/event-object.ts";
import type { EventRow, WebhookRow } from "../../store/schema.ts";
import type { Store } from "../../store/store.ts";
import type { AttemptRecord } from "../attempts.ts";
import {
  type DeliveryUpdate,
  type DueDelivery,
  dueDeliveries,
  moveStatus,
  nextDueAt,
  type Progress,
  recordAttempt,
  seqsWithDeliveries,
} from "../deliveries.ts";
import { type EncodedNotification, encodeNotification, notificationId } from "../notification.ts";
import { type PostResult, postNotification } from "../post.ts";
import type { Reach } from "../reach.ts";
import { eventTypesFor, subscribes } from "../triggers.ts";
import { triggersOf, type WebhookStatus } from "../webhooks.ts";
import { EndpointBacklog } from "./backlog.ts";
import { Health } from "./health.ts";
import { InFlight } from "./in-flight.ts";
import { LastOutcome } from "./last-outcome.ts";
import type { ProgressSource } from "./progress-saver.ts";
import { retryDelay } from "./retry-delay.ts";
import { RetryTimer } from "./retry-timer.ts";

export interface EndpointContext {
  store: Store;
  config: WebhookConfig;
  log: Logger;
  /** What an application's webhooks may reach (private addresses or not). */
  reach(applicationId: string): Reach;
  /** The newest log position the dispatcher's tail has read. */
  tail(): number;
  count(outcome: "delivered" | "retry" | "failed"): void;
  /** The endpoint's progress changed: save it with the next batch. */
  progressed(endpoint: EndpointDelivery): void;
  /** An attempt was made: kept in the delivery history (GET /v3/webhooks/{id}/deliveries). */
  attempted(attempt: AttemptRecord): void;
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

/** One attempt at one event's notification. */
interface Attempt {
  seq: number;
  notificationId: string;
  /** Attempts made so far, this one included. */
  number: number;
  isRetry: boolean;
}

/**
 * Delivers one endpoint's notifications. Its own bounded queue and concurrency: nothing here
 * waits on another endpoint. First attempts start in log order; a failed one becomes a durable
 * retry row (webhook_deliveries) and stops holding back the ones after it.
 *
 * The cursor (saved on the webhook row) is the position below which every event is settled:
 * delivered, recorded for retry, or not for this endpoint. After a restart delivery resumes after
 * it; first attempts in flight at a crash are sent again, with the same notification id.
 */
export class EndpointDelivery implements ProgressSource {
  private triggers: Set<string>;
  private readTypes: string[];
  private readonly backlog: EndpointBacklog;
  private readonly inFlight = new InFlight();
  private readonly nextRetry = new RetryTimer(
    () => this.pump(),
    () => this.deliverable,
  );
  private readonly health: Health;
  /** No new attempts (shutting down, or deleted). */
  private stopping = false;
  /** Outcomes are dropped (abandoned at shutdown: they are re-sent after restart). */
  private stopped = false;
  private savedCursor: number;
  private readonly outcome: LastOutcome;

  constructor(
    private readonly ctx: EndpointContext,
    private row: WebhookRow,
  ) {
    this.triggers = new Set(triggersOf(row));
    this.readTypes = eventTypesFor(this.triggers);
    this.backlog = new EndpointBacklog(row.cursor);
    this.savedCursor = row.cursor;
    this.outcome = new LastOutcome(row);
    this.health = new Health(ctx.config);
  }

  get id(): string {
    return this.row.id;
  }

  get applicationId(): string {
    return this.row.applicationId;
  }

  start(): void {
    this.nextRetry.set(nextDueAt(this.ctx.store, this.row.id, this.inFlight.retrying));
    this.pump();
  }

  state(): EndpointState {
    return {
      queued: this.backlog.queued,
      inFlight: this.inFlight.count,
      cursor: this.backlog.cursor(),
      ...this.outcome.current(),
    };
  }

  /** An event from the dispatcher's tail (every application event, in log order). */
  offer(event: EventRow): void {
    if (!this.backlog.live || event.seq <= this.backlog.readTo) return;
    if (!subscribes(this.triggers, event.type)) {
      this.backlog.passed(event.seq);
      this.touch();
      return;
    }
    if (this.backlog.queued >= this.ctx.config.queueSize) {
      // Full: leave it in the log; the endpoint reads it from there when it has room.
      this.backlog.live = false;
      return;
    }
    this.backlog.push(event);
    this.backlog.passed(event.seq);
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
    this.nextRetry.set(nextDueAt(this.ctx.store, row.id, this.inFlight.retrying));
    this.pump();
  }

  /**
   * Shutdown: no new attempts; those in flight get `graceMs` to finish (their outcome is
   * recorded), then are abandoned (they stay behind the cursor and are sent again after restart).
   * The dispatcher saves the progress of every endpoint after.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.nextRetry.clear();
    await Promise.race([this.inFlight.settled(), Bun.sleep(graceMs)]);
    this.stopped = true;
    this.inFlight.abort();
    await this.inFlight.settled();
  }

  /** The endpoint was deleted: drop everything, save nothing. */
  remove(): void {
    this.stopping = true;
    this.stopped = true;
    this.inFlight.abort();
    this.nextRetry.clear();
  }

  progress(): Progress {
    return { cursor: this.backlog.cursor(), ...this.outcome.take() };
  }

  saved(p: Progress): void {
    this.savedCursor = Math.max(this.savedCursor, p.cursor);
  }

  private get deliverable(): boolean {
    return !this.stopping && (this.row.status === "active" || this.row.status === "failing");
  }

  private pump(): void {
    if (!this.deliverable) return;
    if (!this.backlog.live) this.catchUp();
    this.startAttempts();
    this.startRetries();
  }

  /**
   * Reads the next chunk of the log into the queue, once the queue is down to half (so the log
   * is read in large chunks, not one row per delivery); goes live once it reaches the tail.
   */
  private catchUp(): void {
    const room = this.ctx.config.queueSize - this.backlog.queued;
    const upTo = this.ctx.tail();
    const after = this.backlog.readTo;
    if (after < upTo && room >= this.ctx.config.queueSize / 2) {
      const rows = queryEvents(this.ctx.store, {
        applicationId: this.row.applicationId,
        after,
        upTo,
        types: this.readTypes,
        limit: room,
      });
      const last = rows.length === room ? (rows.at(-1) as EventRow).seq : upTo;
      // After a crash, an event may already be in retry although the cursor had not moved past it.
      const inRetry = seqsWithDeliveries(this.ctx.store, this.row.id, after, last);
      for (const e of rows)
        if (!inRetry.has(e.seq) && subscribes(this.triggers, e.type)) this.backlog.push(e);
      this.backlog.passed(last);
      this.touch();
    }
    // Synchronous reads: the tail cannot have moved since `upTo` was taken.
    if (this.backlog.readTo >= this.ctx.tail()) this.backlog.live = true;
  }

  /** Starts first attempts in log order, up to the endpoint's concurrency. */
  private startAttempts(): void {
    while (this.deliverable && this.backlog.queued > 0 && this.inFlight.count < this.ctx.config.concurrency) {
      const event = this.backlog.take() as EventRow;
      this.inFlight.startFirst();
      const first = {
        seq: event.seq,
        notificationId: notificationId(this.row.id, event.id),
        number: 1,
        isRetry: false,
      };
      this.track(this.send(first, this.prepare(event, first)));
    }
  }

  /** Due retries, in at most half of the slots: fresh notifications always keep some. */
  private startRetries(): void {
    if (!this.nextRetry.isDue(Date.now())) return;
    const retrySlots = Math.max(1, Math.floor(this.ctx.config.concurrency / 2));
    const free = Math.min(
      retrySlots - this.inFlight.retrying.size,
      this.ctx.config.concurrency - this.inFlight.count,
    );
    if (free <= 0) return; // a finishing attempt pumps again
    for (const due of dueDeliveries(this.ctx.store, this.row.id, Date.now(), this.inFlight.retrying, free)) {
      this.inFlight.startRetry(due.eventSeq);
      this.track(this.retry(due));
    }
    this.nextRetry.set(nextDueAt(this.ctx.store, this.row.id, this.inFlight.retrying));
  }

  private async retry(due: DueDelivery): Promise<void> {
    const retry = {
      seq: due.eventSeq,
      notificationId: due.notificationId,
      number: due.attempt + 1,
      isRetry: true,
    };
    const event = eventAt(this.ctx.store, due.eventSeq);
    const prepared: Prepared = event
      ? this.prepare(event, retry)
      : { error: "the event is no longer in the log", retry: false };
    await this.send(retry, prepared);
  }

  private prepare(event: EventRow, attempt: Attempt): Prepared {
    try {
      const object = objectOf(this.ctx.store, event);
      const encoded = encodeNotification(
        envelopeOf(event, object, attempt.notificationId, attempt.number),
        this.row.secret,
        this.row.compressedDelivery,
      );
      if (attempt.number > 1) return encoded; // a retry was for this endpoint at its first attempt
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

  private async send(attempt: Attempt, prepared: Prepared): Promise<void> {
    if ("skip" in prepared) return this.skip(attempt);
    const started = performance.now();
    const result: PostResult =
      "error" in prepared
        ? { ok: false, retry: prepared.retry, status: null, error: prepared.error }
        : await postNotification(
            this.row.url,
            prepared.body,
            prepared.headers,
            this.ctx.config.timeoutMs,
            this.ctx.reach(this.row.applicationId),
            this.inFlight.signal,
          );
    if (this.stopped) return;
    const ms = performance.now() - started;
    this.logAttempt(attempt, result, ms);
    const durable = await this.settle(attempt, result);
    this.ctx.attempted({
      webhookId: this.row.id,
      notificationId: attempt.notificationId,
      eventSeq: attempt.seq,
      attempt: attempt.number,
      attemptedAtMs: Date.now() - Math.round(ms),
      durationMs: Math.round(ms),
      statusCode: result.status,
      outcome: result.ok ? "delivered" : this.willRetry(attempt, result) ? "retry" : "failed",
      error: result.ok ? null : result.error,
    });
    this.inFlight.finish(attempt);
    if (!attempt.isRetry && durable) this.backlog.release(attempt.seq);
    this.touch();
    this.pump();
  }

  /** Whether a failed attempt gets another one (settle's rule). */
  private willRetry(attempt: Attempt, result: PostResult): boolean {
    return !result.ok && result.retry && retryDelay(this.ctx.config.retryScheduleMs, attempt.number) !== null;
  }

  /** One line per attempt, with ids; never the URL (it may carry a token) nor the body. */
  private logAttempt(attempt: Attempt, result: PostResult, ms: number): void {
    const line = {
      webhookId: this.row.id,
      notificationId: attempt.notificationId,
      seq: attempt.seq,
      attempt: attempt.number,
      status: result.status,
      ms: Math.round(ms),
    };
    if (result.ok) this.ctx.log.info(line, "webhook delivered");
    else this.ctx.log.warn({ ...line, error: result.error, retry: result.retry }, "webhook attempt failed");
  }

  /** Not for this endpoint after all (only ever a first attempt): settled without a request. */
  private skip(attempt: Attempt): void {
    this.inFlight.finish(attempt);
    this.backlog.release(attempt.seq);
    this.touch();
    this.pump();
  }

  /** Records the outcome; false if it could not be made durable (the cursor then stays behind it). */
  private async settle(attempt: Attempt, result: PostResult): Promise<boolean> {
    const now = Date.now();
    if (result.ok) {
      this.ctx.count("delivered");
      this.outcome.succeeded(now);
      this.moveTo(this.health.succeeded(this.row.status));
      if (!attempt.isRetry) return true;
      return this.record(attempt, {
        status: "delivered",
        nextAttemptAtMs: now,
        lastStatus: result.status,
        lastError: null,
      });
    }
    this.outcome.failed(result.error, now);
    this.moveTo(this.health.attemptFailed(this.row.status, now));
    const delay = result.retry ? retryDelay(this.ctx.config.retryScheduleMs, attempt.number) : null;
    const status = delay === null ? "failed" : "pending";
    this.ctx.count(status === "failed" ? "failed" : "retry");
    const durable = await this.record(attempt, {
      status,
      nextAttemptAtMs: now + (delay ?? 0),
      lastStatus: result.status,
      lastError: result.error,
    });
    if (delay !== null) this.nextRetry.note(now + delay);
    else this.moveTo(this.health.notificationFailed(this.row.status));
    return durable;
  }

  private async record(
    attempt: Attempt,
    outcome: Pick<DeliveryUpdate, "status" | "nextAttemptAtMs" | "lastStatus" | "lastError">,
  ): Promise<boolean> {
    try {
      await recordAttempt(this.ctx.store, {
        webhookId: this.row.id,
        eventSeq: attempt.seq,
        notificationId: attempt.notificationId,
        attempt: attempt.number,
        ...outcome,
      });
      return true;
    } catch (err) {
      if (!this.stopped)
        this.ctx.log.error(
          { err, webhookId: this.row.id, seq: attempt.seq },
          "cannot record webhook attempt",
        );
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
    this.backlog.rewind();
    if (!this.deliverable) this.nextRetry.clear();
  }

  private track(work: Promise<void>): void {
    this.inFlight.track(work, (err) =>
      this.ctx.log.error({ err, webhookId: this.row.id }, "webhook delivery crashed"),
    );
  }

  /** Asks for a save if the cursor moved or an outcome changed (the dispatcher batches saves). */
  private touch(): void {
    if (this.stopped) return;
    if (this.backlog.cursor() > this.savedCursor || this.outcome.changed) this.ctx.progressed(this);
  }
}
