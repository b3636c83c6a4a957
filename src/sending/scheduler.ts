/**
 * Sends scheduled messages when they come due. One timer, set for the earliest pending
 * schedule (re-armed when one is added, and at least hourly: timers cannot wait 30 days). A due
 * schedule goes through the ordinary send path, whose mailbox unit claims the schedule with the
 * Sent copy: a crash before that commit leaves it pending (sent after restart), one after it
 * leaves it sent, so it is sent exactly once. A send that is refused (the daily quota, a deleted
 * account) closes the schedule as failed, with the reason; any other error leaves it pending for
 * another try.
 */

import { eq } from "drizzle-orm";
import { MailboxError } from "../domain/errors.ts";
import { nowSeconds } from "../ids.ts";
import { grants, type ScheduledSendRow } from "../store/schema.ts";
import type { TrackingRequest } from "../tracking/instrument.ts";
import type { SendingDeps } from "./deps.ts";
import { dispatch } from "./outgoing.ts";
import {
  dueScheduledSends,
  failScheduledSend,
  nextScheduledSendAt,
  type SendRefusal,
} from "./scheduled-store.ts";

const MAX_TIMER_MS = 3600_000;
const BATCH = 50;
/** After an unexpected error (not a refusal), the pause before schedules are tried again. */
const RETRY_S = 30;

export class ScheduledSender {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Unix seconds before which nothing is tried (after an unexpected error). */
  private retryAt = 0;

  constructor(private readonly deps: SendingDeps) {}

  start(): Promise<void> {
    this.stopped = false;
    return this.wake();
  }

  /** Something changed (a schedule was added): send what is due, then re-arm the timer. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    sending: while (nowSeconds() >= this.retryAt) {
      const due = await dueScheduledSends(this.deps.store, nowSeconds(), BATCH);
      for (const schedule of due) {
        if (this.stopped) return;
        if (!(await this.send(schedule))) break sending;
      }
      if (due.length < BATCH) break;
    }
    await this.arm();
  }

  private async arm(): Promise<void> {
    const next = await nextScheduledSendAt(this.deps.store);
    if (next === null || this.stopped) return;
    const at = Math.max(next, this.retryAt);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, (at - nowSeconds()) * 1000));
    this.timer = setTimeout(() => void this.wake(), delay);
    this.timer.unref();
  }

  /**
   * Sends one schedule, or closes it as failed when the send is refused. An unexpected error
   * (not a refusal) leaves it pending and pauses the scheduler for RETRY_S: returns false.
   */
  private async send(s: ScheduledSendRow): Promise<boolean> {
    const grant = await this.deps.store.read.query.grants.findFirst({ where: eq(grants.id, s.grantId) });
    // Deleting an account deletes its schedules (ON DELETE CASCADE): nothing is left to close.
    if (!grant) return true;
    try {
      await dispatch(this.deps, grant, {
        sentRaw: s.sentRaw,
        deliveryRaw: s.deliveryRaw,
        recipients: JSON.parse(s.recipientsJson) as string[],
        metadata: JSON.parse(s.metadataJson) as Record<string, string>,
        flags: { flagged: s.flagged },
        ...(s.answeredId && { answeredId: s.answeredId }),
        ...(s.trackingJson && { tracking: JSON.parse(s.trackingJson) as TrackingRequest }),
        scheduled: { scheduleId: s.id, messageId: s.messageId },
      });
    } catch (err) {
      // A refusal closes the schedule; anything else (a rule evaluation that failed too) is retried.
      if (!(err instanceof MailboxError) || err.code === "unavailable") {
        this.deps.log.error({ err, scheduleId: s.id }, "scheduled send failed; retrying later");
        this.retryAt = nowSeconds() + RETRY_S;
        return false;
      }
      await failScheduledSend(this.deps.store, grant, s.id, refusalOf(err), nowSeconds());
    }
    return true;
  }
}

/**
 * A refusal as message.send_failed reports it: the error the same send would have got from the
 * API (its `error.type` and status, docs/api.md "Errors"), and its message as the reason.
 */
const REFUSALS: Record<MailboxError["code"], { type: string; status: number }> = {
  not_found: { type: "not_found_error", status: 404 },
  invalid: { type: "invalid_request_error", status: 400 },
  over_quota: { type: "forbidden", status: 403 },
  conflict: { type: "conflict", status: 409 },
  too_big: { type: "invalid_request_error", status: 413 },
  rate_limited: { type: "rate_limit_error", status: 429 },
  blocked: { type: "forbidden", status: 403 },
  unavailable: { type: "api_error", status: 503 },
};

function refusalOf(err: MailboxError): SendRefusal {
  const { type, status } = REFUSALS[err.code];
  return { reason: err.message, error: { type, message: err.message, status_code: status } };
}
