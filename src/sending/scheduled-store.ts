/**
 * Rows of scheduled sends (migration 0011): created by the API, taken by the scheduler, and
 * claimed by the send itself, inside the mailbox unit that stores the Sent copy
 * (src/mailbox/writes/scheduled-sends.ts). Closing one records message.send_success or
 * message.send_failed (Nylas's scheduled-send webhooks).
 */
import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import { scheduleEventObject } from "../mailbox/writes/events.ts";
import type { Db } from "../store/db.ts";
import { type ScheduledSendRow, scheduledSends } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export type NewScheduledSend = typeof scheduledSends.$inferInsert;

/** The grant's schedule with this id. */
const ofGrant = (grantId: string, id: string) =>
  and(eq(scheduledSends.id, id), eq(scheduledSends.grantId, grantId));

/** Stores a new schedule; returns it as stored (the column defaults filled in). */
export async function insertScheduledSend(store: Store, row: NewScheduledSend): Promise<ScheduledSendRow> {
  const [stored] = await store.writer.submit((tx) => tx.insert(scheduledSends).values(row).returning());
  if (!stored) throw new Error(`scheduled send ${row.id} was not stored`);
  return stored;
}

/** Why a due send was refused: what message.send_failed carries beside its object. */
export interface SendRefusal {
  reason: string;
  error: { type: string; message: string; status_code: number };
}

/** A send that could not happen: closed as failed with the reason, and message.send_failed. */
export async function failScheduledSend(
  store: Store,
  grant: { id: string; applicationId: string },
  id: string,
  refusal: SendRefusal,
  nowS: number,
): Promise<void> {
  await store.writer.submit(async (tx) => {
    const [failed] = await tx
      .update(scheduledSends)
      .set({ status: "failed", description: refusal.reason, closeTime: nowS })
      .where(and(ofGrant(grant.id, id), eq(scheduledSends.status, "pending")))
      .returning();
    if (!failed) return;
    await recordEvent(tx, {
      applicationId: grant.applicationId,
      grantId: grant.id,
      type: "message.send_failed",
      object: { ...scheduleEventObject(failed), ...refusal },
    });
  });
}

/** Cancels a pending schedule; returns its row after, or null when the grant has no such schedule. */
export async function cancelScheduledSend(
  store: Store,
  grantId: string,
  id: string,
  nowS: number,
): Promise<ScheduledSendRow | null> {
  return store.writer.submit(async (tx) => {
    await tx
      .update(scheduledSends)
      .set({ status: "cancelled", closeTime: nowS })
      .where(and(ofGrant(grantId, id), eq(scheduledSends.status, "pending")));
    return findScheduledSend(tx, grantId, id);
  });
}

/** `db`: the store's reader, or a transaction (which sees its own writes). */
export async function findScheduledSend(
  db: Db,
  grantId: string,
  id: string,
): Promise<ScheduledSendRow | null> {
  const [row] = await db.select().from(scheduledSends).where(ofGrant(grantId, id));
  return row ?? null;
}

/** A grant's schedules, newest first. */
export function listScheduledSends(store: Store, grantId: string): Promise<ScheduledSendRow[]> {
  return store.read
    .select()
    .from(scheduledSends)
    .where(eq(scheduledSends.grantId, grantId))
    .orderBy(desc(scheduledSends.createdAt), desc(scheduledSends.id));
}

/** Pending schedules due by `nowS`, oldest first. */
export function dueScheduledSends(store: Store, nowS: number, limit: number): Promise<ScheduledSendRow[]> {
  return store.read
    .select()
    .from(scheduledSends)
    .where(and(eq(scheduledSends.status, "pending"), lte(scheduledSends.sendAt, nowS)))
    .orderBy(asc(scheduledSends.sendAt))
    .limit(limit);
}

/** When the next pending schedule is due (Unix seconds), or null. */
export async function nextScheduledSendAt(store: Store): Promise<number | null> {
  const [row] = await store.read
    .select({ at: sql<number | null>`min(${scheduledSends.sendAt})` })
    .from(scheduledSends)
    .where(eq(scheduledSends.status, "pending"));
  return row?.at ?? null;
}

/** How many schedules wait for their time (the metrics gauge). */
export function pendingScheduledSends(store: Store): number {
  const row = store.read.$client
    .prepare("SELECT count(*) AS n FROM scheduled_sends WHERE status = 'pending'")
    .get() as { n: number };
  return row.n;
}
