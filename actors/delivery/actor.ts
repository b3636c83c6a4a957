import type { DnsResolver } from "../../src/dns/resolver.ts";
import type { Logger } from "../../src/log.ts";
import { rawMessage } from "../../src/mailbox/messages.ts";
import type { RelayConfig, SmtpConfig } from "../../src/smtp/config.ts";
import { buildDsn } from "../../src/smtp/dsn.ts";
import { OutboundClient } from "../../src/smtp/outbound/client.ts";
import { signMessage } from "../../src/smtp/outbound/dkim.ts";
import { DeliveryFailure } from "../../src/smtp/outbound/failure.ts";
import { DkimKeys } from "../../src/smtp/outbound/keys.ts";
import { routeFor } from "../../src/smtp/outbound/route.ts";
import {
  type BouncedRecipient,
  claimDue,
  markBounced,
  markDelivered,
  markRetry,
  nextDueAt,
  resetInterrupted,
} from "../../src/smtp/queue.ts";
import type { OutboundRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import type { Mailboxes } from "../mailboxes.ts";
import { backoffMs } from "./backoff.ts";
import { dsnAlreadyStored } from "./dsn-store.ts";

export interface DeliveryDeps {
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  /** Our public host name: EHLO, Reporting-MTA. */
  hostname: string;
  smtp: SmtpConfig;
  relay: RelayConfig | null;
  resolver: DnsResolver;
}

/** One SMTP transaction's worth of queue rows: the same message, sender and recipient domain. */
interface Group {
  domain: string;
  rows: OutboundRow[];
}

interface Lane {
  pending: Group[];
  active: number;
}

/** Rows claimed per domain beyond which its further rows stay in the database until it catches up. */
const LANE_BACKLOG_FACTOR = 8;
const CLAIM_LIMIT = 500;
/** RFC 5321 §4.5.3.1.8: a server must take at least 100 recipients per transaction. */
const MAX_RCPTS_PER_TRANSACTION = 100;

/**
 * Drains `outbound_queue`: claims due rows, groups them per message and recipient domain, DKIM-
 * signs, delivers through the relay or the domain's MX hosts, and records the outcome — a
 * message.delivered event, a retry with exponential backoff and jitter, or (5xx, or the queue
 * lifetime ran out) a DSN in the sender's INBOX and a message.bounced event.
 *
 * Each recipient domain is a lane with its own concurrency limit, so a slow domain holds only
 * its own lane. The queue is the database: a restart (or kill -9) loses nothing, rows a dead
 * process had claimed are queued again at start, and delivery resumes where it was.
 */
export class DeliveryActor {
  readonly #lanes = new Map<string, Lane>();
  readonly #client: OutboundClient;
  readonly #keys: DkimKeys;
  #active = 0;
  #claimed = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #polling = false;
  #currentPoll: Promise<void> = Promise.resolve();
  #pollAgain = false;
  #running = false;
  #idle: Promise<void> = Promise.resolve();
  #settleIdle: (() => void) | null = null;

  constructor(private readonly deps: DeliveryDeps) {
    this.#client = new OutboundClient({
      hostname: deps.hostname,
      timeoutMs: deps.smtp.outboundTimeoutMs,
      connectionsPerHop: deps.smtp.domainConcurrency,
      log: deps.log,
    });
    this.#keys = new DkimKeys(deps.store);
  }

  /** Re-queues what a previous process had claimed and starts draining (unless `hold`). */
  async start(hold = false): Promise<void> {
    await resetInterrupted(this.deps.store, nowS());
    if (hold) return;
    this.#running = true;
    this.wake();
  }

  /** Look for due rows now (after a send queued some). */
  wake(): void {
    if (!this.#running) return;
    this.#schedule(0);
  }

  /** Stops claiming; waits for transactions in flight (each has its own timeout). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#currentPoll;
    // Claimed groups not yet started go back to the queue at the next start (resetInterrupted).
    for (const lane of this.#lanes.values()) {
      this.#claimed -= lane.pending.reduce((n, g) => n + g.rows.length, 0);
      lane.pending = [];
    }
    if (this.#active > 0) await this.#idle;
    this.#client.close();
  }

  /** Transactions in flight and rows claimed (for metrics and tests). */
  stats(): { active: number; claimed: number } {
    return { active: this.#active, claimed: this.#claimed };
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#currentPoll = this.#poll();
    }, delayMs);
  }

  async #poll(): Promise<void> {
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    let full = false;
    try {
      const room = CLAIM_LIMIT - this.#claimed;
      if (room > 0) {
        const rows = await claimDue(this.deps.store, nowS(), room, this.#saturatedDomains());
        full = rows.length === room;
        this.#claimed += rows.length;
        for (const group of groupRows(rows)) this.#lane(group.domain).pending.push(group);
        this.#pump();
      }
    } catch (err) {
      this.deps.log.error({ err }, "outbound queue poll failed");
    } finally {
      this.#polling = false;
    }
    if (!this.#running) return;
    if (this.#pollAgain || (full && this.#claimed < CLAIM_LIMIT)) {
      this.#pollAgain = false;
      this.#schedule(0);
      return;
    }
    const due = await nextDueAt(this.deps.store).catch(() => null);
    const untilDue = due === null ? this.deps.smtp.queuePollMs : due * 1000 - Date.now();
    this.#schedule(Math.max(10, Math.min(this.deps.smtp.queuePollMs, untilDue)));
  }

  #saturatedDomains(): string[] {
    const limit = this.deps.smtp.domainConcurrency * LANE_BACKLOG_FACTOR;
    const full: string[] = [];
    for (const [domain, lane] of this.#lanes) {
      const rows = lane.pending.reduce((n, g) => n + g.rows.length, 0);
      if (rows >= limit) full.push(domain);
    }
    return full;
  }

  #lane(domain: string): Lane {
    let lane = this.#lanes.get(domain);
    if (!lane) {
      lane = { pending: [], active: 0 };
      this.#lanes.set(domain, lane);
    }
    return lane;
  }

  #pump(): void {
    for (const [domain, lane] of this.#lanes) {
      while (
        this.#running &&
        lane.pending.length > 0 &&
        lane.active < this.deps.smtp.domainConcurrency &&
        this.#active < this.deps.smtp.deliveryConcurrency
      ) {
        const group = lane.pending.shift() as Group;
        lane.active++;
        this.#begin();
        void this.#deliver(group).finally(() => {
          lane.active--;
          this.#claimed -= group.rows.length;
          this.#end();
          if (lane.active === 0 && lane.pending.length === 0) this.#lanes.delete(domain);
          this.#pump();
          // Keep the pipeline full: fetch more while there is room.
          if (this.#claimed < CLAIM_LIMIT / 2) this.#schedule(0);
        });
      }
    }
  }

  #begin(): void {
    if (this.#active++ === 0) this.#idle = new Promise((resolve) => (this.#settleIdle = resolve));
  }

  #end(): void {
    if (--this.#active === 0) this.#settleIdle?.();
  }

  async #deliver(group: Group): Promise<void> {
    const first = group.rows[0] as OutboundRow;
    try {
      const raw = rawMessage(this.deps.store, first.blobHash);
      if (!raw) {
        throw new DeliveryFailure("permanent", "5.3.0", "the message's stored bytes are missing");
      }
      const key = first.mailFrom ? await this.#keys.forAddress(first.mailFrom) : null;
      const signed = key ? await signMessage(raw, key) : raw;
      const hops = await routeFor(group.domain, {
        relay: this.deps.relay,
        resolver: this.deps.resolver,
        port: this.deps.smtp.outboundPort,
      });
      const result = await this.#client.send(
        hops,
        { from: first.mailFrom, to: group.rows.map((r) => r.rcptTo) },
        signed,
      );
      const accepted = new Set(result.accepted.map((a) => a.toLowerCase()));
      const delivered = group.rows.filter((r) => accepted.has(r.rcptTo.toLowerCase()));
      if (delivered.length > 0) {
        await markDelivered(this.deps.store, nowS(), {
          rows: delivered,
          remoteMta: result.host,
          response: result.response,
        });
        this.deps.log.info(
          { queueIds: delivered.map((r) => r.id), to: delivered.map((r) => r.rcptTo), host: result.host },
          "message delivered",
        );
      }
      for (const refusal of result.refused) {
        const rows = group.rows.filter((r) => r.rcptTo.toLowerCase() === refusal.rcpt.toLowerCase());
        await this.#failed(rows, refusal.failure);
      }
    } catch (err) {
      const failure =
        err instanceof DeliveryFailure
          ? err
          : new DeliveryFailure(
              "temporary",
              "4.3.0",
              `local error: ${(err as Error).message ?? String(err)}`,
            );
      await this.#failed(group.rows, failure).catch((e) =>
        this.deps.log.error(
          { err: e, queueIds: group.rows.map((r) => r.id) },
          "recording a delivery failure failed",
        ),
      );
    }
  }

  /** A temporary failure is retried until the queue lifetime runs out; then, or on a 5xx, bounce. */
  async #failed(rows: OutboundRow[], failure: DeliveryFailure): Promise<void> {
    if (rows.length === 0) return;
    const now = Date.now();
    const retry: OutboundRow[] = [];
    const bounce: BouncedRecipient[] = [];
    for (const row of rows) {
      const expired = now - row.createdAt * 1000 >= this.deps.smtp.queueLifetimeMs;
      if (failure.kind === "temporary" && !expired) retry.push(row);
      else {
        bounce.push({
          row,
          status: failure.kind === "temporary" ? "4.4.7" : failure.status,
          diagnostic:
            failure.kind === "temporary"
              ? `x-agentbox; delivery time expired after ${row.attempts + 1} attempts; last error: ${failure.diagnostic()}`
              : failure.diagnostic(),
        });
      }
    }
    if (retry.length > 0) {
      const attempts = Math.max(...retry.map((r) => r.attempts)) + 1;
      const at = Math.ceil((now + backoffMs(attempts, this.deps.smtp)) / 1000);
      await markRetry(this.deps.store, nowS(), retry, at, `${failure.status} ${failure.diagnostic()}`);
      this.deps.log.info(
        { queueIds: retry.map((r) => r.id), attempts, retryAt: at, reason: failure.message },
        "delivery deferred",
      );
    }
    if (bounce.length > 0) {
      await this.#bounce(bounce, failure);
      await markBounced(this.deps.store, nowS(), bounce);
      this.deps.log.info(
        { queueIds: bounce.map((b) => b.row.id), status: bounce[0]?.status, reason: failure.message },
        "delivery failed; bounced",
      );
    }
  }

  /** The DSN goes into the sender's INBOX (once, even if a crash interrupted the last try). */
  async #bounce(bounced: BouncedRecipient[], failure: DeliveryFailure): Promise<void> {
    const first = bounced[0]?.row;
    if (!first?.mailFrom) return; // a notice is never bounced
    const messageId = `<dsn.${first.id}@${this.deps.hostname}>`;
    if (await dsnAlreadyStored(this.deps.store, first.grantId, messageId)) return;
    const original = rawMessage(this.deps.store, first.blobHash) ?? new Uint8Array();
    const dsn = buildDsn({
      reportingMta: this.deps.hostname,
      to: first.mailFrom,
      arrivalDate: new Date(first.createdAt * 1000),
      recipients: bounced.map((b) => ({
        address: b.row.rcptTo,
        status: b.status,
        diagnostic: b.diagnostic,
        remoteMta: failure.remoteHost,
      })),
      original,
      messageId,
    });
    await this.deps.mailboxes.ask(first.grantId, "append", { folderId: "inbox", raw: dsn }).catch((err) => {
      // The sender's mailbox may be full or gone; the event still says what happened.
      this.deps.log.warn({ err: (err as Error).message, grantId: first.grantId }, "bounce not stored");
    });
  }
}

/** Rows of one message (same bytes and sender) to one domain travel in one transaction. */
export function groupRows(rows: OutboundRow[]): Group[] {
  const done: Group[] = [];
  const open = new Map<string, Group>();
  for (const row of rows) {
    const domain = row.rcptTo.slice(row.rcptTo.lastIndexOf("@") + 1).toLowerCase();
    const key = `${domain}\u0000${row.blobHash}\u0000${row.mailFrom}\u0000${row.grantId}\u0000${row.messageId}`;
    const group = open.get(key);
    if (group && group.rows.length < MAX_RCPTS_PER_TRANSACTION) {
      group.rows.push(row);
      continue;
    }
    if (group) done.push(group);
    open.set(key, { domain, rows: [row] });
  }
  return [...done, ...open.values()];
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}
