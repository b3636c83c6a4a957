/**
 * The outbound queue's reads and writes (table `outbound_queue`; the send command queues its rows
 * in the same unit as the Sent copy, src/mailbox/writes/outbound-queue.ts). Otherwise only the
 * delivery actor and the MX's partial-failure notices use these. Status: queued → sending
 * (claimed by this process) → delivered | failed, or back to queued with a later next_attempt_at.
 */
import { and, asc, eq, inArray, lte, min, notInArray, sql } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import { insertQueueRows } from "../mailbox/writes/outbound-queue.ts";
import type { Tx } from "../store/db.ts";
import { grants, messages, type OutboundRow, outboundQueue } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const rcptDomain = sql<string>`lower(substr(${outboundQueue.rcptTo}, instr(${outboundQueue.rcptTo}, '@') + 1))`;

/** Rows a previous process had claimed when it stopped (or crashed) are due again. */
export async function resetInterrupted(store: Store, now: number): Promise<void> {
  await store.writer.submit((tx) =>
    tx
      .update(outboundQueue)
      .set({ status: "queued", updatedAt: now })
      .where(eq(outboundQueue.status, "sending"))
      .run(),
  );
}

/** Unix seconds of the earliest queued row, or null when the queue is empty. */
export async function nextDueAt(store: Store): Promise<number | null> {
  const [row] = await store.read
    .select({ at: min(outboundQueue.nextAttemptAt) })
    .from(outboundQueue)
    .where(eq(outboundQueue.status, "queued"));
  return row?.at ?? null;
}

/**
 * Claims up to `limit` due rows (oldest first), skipping recipient domains that already have
 * enough work in hand: they become `sending` in one unit and are returned.
 */
export async function claimDue(
  store: Store,
  now: number,
  limit: number,
  skipDomains: string[],
): Promise<OutboundRow[]> {
  const due = and(
    eq(outboundQueue.status, "queued"),
    lte(outboundQueue.nextAttemptAt, now),
    skipDomains.length > 0 ? notInArray(rcptDomain, skipDomains) : undefined,
  );
  // A read first: an idle queue costs no write transaction.
  const [any] = await store.read.select({ id: outboundQueue.id }).from(outboundQueue).where(due).limit(1);
  if (!any) return [];
  return store.writer.submit((tx) => {
    const ids = tx
      .select({ id: outboundQueue.id })
      .from(outboundQueue)
      .where(due)
      .orderBy(asc(outboundQueue.nextAttemptAt))
      .limit(limit)
      .all()
      .map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .update(outboundQueue)
      .set({ status: "sending", updatedAt: now })
      .where(inArray(outboundQueue.id, ids))
      .returning()
      .all();
  });
}

export interface DeliveredOutcome {
  rows: OutboundRow[];
  remoteMta: string;
  response: string;
}

/** The recipients took it: rows delivered, and one message.delivered event for them. */
export function markDelivered(store: Store, now: number, o: DeliveredOutcome): Promise<void> {
  return store.writer.submit(async (tx) => {
    finishRows(tx, o.rows, now, { status: "delivered", lastError: null });
    const first = o.rows[0];
    if (!first?.mailFrom) return;
    await recordSentEvent(
      tx,
      first,
      "delivered",
      o.rows.map((r) => r.rcptTo),
      {
        delivered: {
          delivered_at: now,
          recipients: o.rows.map((r) => r.rcptTo),
          remote_mta: o.remoteMta,
          response: o.response,
        },
      },
    );
  });
}

/** A temporary failure: the rows are due again at `nextAt`. */
export function markRetry(
  store: Store,
  now: number,
  rows: OutboundRow[],
  nextAt: number,
  error: string,
): Promise<void> {
  return store.writer.submit((tx) => {
    finishRows(tx, rows, now, { status: "queued", lastError: error, nextAttemptAt: nextAt });
  });
}

export interface BouncedRecipient {
  row: OutboundRow;
  status: string;
  diagnostic: string;
}

/**
 * A permanent failure (or the queue lifetime ran out): the rows fail, and one message.bounced
 * event says why per recipient. The DSN itself is appended by the caller before this.
 */
export function markBounced(store: Store, now: number, bounced: BouncedRecipient[]): Promise<void> {
  return store.writer.submit(async (tx) => {
    for (const b of bounced) {
      finishRows(tx, [b.row], now, { status: "failed", lastError: `${b.status} ${b.diagnostic}` });
    }
    const first = bounced[0]?.row;
    if (!first?.mailFrom) return;
    const recipients = bounced.map((b) => ({
      email: b.row.rcptTo,
      status: b.status,
      diagnostic: b.diagnostic,
    }));
    await recordBounce(tx, first, now, recipients);
  });
}

/**
 * A hosted recipient could not take a message sent to it (no SMTP involved): the same
 * message.bounced event as for a remote bounce, for the sender's Sent copy.
 */
export function recordLocalBounce(
  store: Store,
  now: number,
  sent: { grantId: string; messageId: string; mailFrom: string },
  recipients: { email: string; status: string; diagnostic: string }[],
): Promise<void> {
  return store.writer.submit((tx) =>
    recordBounce(
      tx,
      { ...sent, applicationId: applicationOf(tx, sent.grantId), createdAt: now },
      now,
      recipients,
    ),
  );
}

/** The same for a transactional send (no grant): message.transactional.bounced. */
export function recordTransactionalLocalBounce(
  store: Store,
  now: number,
  sent: { applicationId: string; messageId: string; mailFrom: string },
  recipients: { email: string; status: string; diagnostic: string }[],
): Promise<void> {
  return store.writer.submit((tx) =>
    recordBounce(tx, { ...sent, grantId: null, createdAt: now }, now, recipients),
  );
}

/**
 * A notice (a bounce the MX owes a remote sender) queued like any outbound message: null
 * envelope sender, so its own failure never produces another bounce.
 */
export function enqueueNotice(
  store: Store,
  input: { grantId: string; messageId: string; rcptTo: string; raw: Uint8Array },
  now: number,
): Promise<void> {
  return store.writer.submit((tx) => {
    const applicationId = applicationOf(tx, input.grantId);
    insertQueueRows(tx, { ...input, applicationId, mailFrom: "", recipients: [input.rcptTo] }, now);
  });
}

function finishRows(
  tx: Tx,
  rows: OutboundRow[],
  now: number,
  set: { status: OutboundRow["status"]; lastError: string | null; nextAttemptAt?: number },
): void {
  if (rows.length === 0) return;
  tx.update(outboundQueue)
    .set({ ...set, attempts: sql`${outboundQueue.attempts} + 1`, updatedAt: now })
    .where(
      inArray(
        outboundQueue.id,
        rows.map((r) => r.id),
      ),
    )
    .run();
}

/** What a deliverability event is about: a message sent from a grant. */
type SentMessage = Pick<OutboundRow, "grantId" | "applicationId" | "messageId" | "mailFrom" | "createdAt">;

/**
 * message.bounced for the recipients that failed, with a coarse type from the first one's status.
 * Each recipient as Nylas's schema has it (`email`, `diagnostic_code`: the remote reply or our
 * reason), plus `status`, the RFC 3463 code.
 */
function recordBounce(
  tx: Tx,
  sent: SentMessage,
  now: number,
  recipients: { email: string; status: string; diagnostic: string }[],
): Promise<void> {
  return recordSentEvent(
    tx,
    sent,
    "bounced",
    recipients.map((r) => r.email),
    {
      bounce: {
        bounced_at: now,
        type: bounceType(recipients[0]?.status ?? "5.0.0"),
        recipients: recipients.map((r) => ({
          email: r.email,
          status: r.status,
          diagnostic_code: r.diagnostic,
        })),
      },
    },
  );
}

/**
 * A deliverability event: the sent message's summary plus what happened to it. A transactional
 * send (no grant) reports as message.transactional.delivered/bounced, as Nylas names them.
 */
function recordSentEvent(
  tx: Tx,
  sent: SentMessage,
  kind: "delivered" | "bounced",
  recipients: string[],
  outcome: Record<string, unknown>,
): Promise<void> {
  return recordEvent(tx, {
    applicationId: sent.applicationId,
    grantId: sent.grantId,
    type: sent.grantId === null ? `message.transactional.${kind}` : `message.${kind}`,
    object: { ...messageSummary(tx, sent, recipients), ...outcome },
  });
}

function applicationOf(tx: Tx, grantId: string): string {
  const row = tx.select({ app: grants.applicationId }).from(grants).where(eq(grants.id, grantId)).get();
  return row?.app ?? "";
}

/**
 * The sent message as deliverability events show it (from its Sent copy, if still there), in
 * Nylas's shape: `from` one address, `to`/`cc`/`bcc` lists of addresses (not participants).
 */
function messageSummary(tx: Tx, row: SentMessage, recipients: string[]) {
  const m = tx
    .select({
      subject: messages.subject,
      from: messages.fromJson,
      to: messages.toJson,
      cc: messages.ccJson,
      bcc: messages.bccJson,
      sentAt: messages.internalDate,
    })
    .from(messages)
    .where(eq(messages.id, row.messageId))
    .get();
  const grant = row.grantId === null ? {} : { grant_id: row.grantId };
  return {
    message_id: row.messageId,
    ...grant,
    message: {
      id: row.messageId,
      ...grant,
      ...(m?.subject != null && { subject: m.subject }),
      from: (m && addressesOf(m.from)[0]) ?? row.mailFrom,
      // No Sent copy (deleted, or a transactional send): the recipients this report is about.
      to: m ? addressesOf(m.to) : recipients,
      cc: m ? addressesOf(m.cc) : [],
      bcc: m ? addressesOf(m.bcc) : [],
      sent_at: m?.sentAt ?? row.createdAt,
    },
  };
}

function addressesOf(participantsJson: string): string[] {
  return (JSON.parse(participantsJson) as { email: string }[]).map((p) => p.email);
}

/** A coarse class of the bounce, from its status (RFC 3463). */
export function bounceType(status: string): string {
  if (status.startsWith("4.")) return "Expired";
  if (status === "5.2.2") return "MailboxFull";
  if (status.startsWith("5.1.2") || status === "5.1.10") return "NoSuchDomain";
  if (status.startsWith("5.1.")) return "NoSuchRecipient";
  if (status.startsWith("5.3.4") || status === "5.2.3") return "MessageTooLarge";
  if (status.startsWith("5.7.")) return "Rejected";
  return "Undeliverable";
}
