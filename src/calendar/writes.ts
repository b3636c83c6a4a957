/**
 * Every statement the mailbox actor runs on a grant's calendars and events, and their event-log
 * rows (calendar.* and event.*): the calendar is account state, changed only through the actor.
 */
import { and, eq, sql } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import type { Tx } from "../store/db.ts";
import { type CalendarEventRow, calendarDavTombstones, calendarEvents, calendars } from "../store/schema.ts";

/** The grant a change belongs to, and its application (whose webhooks hear it). */
export interface CalendarScope {
  grantId: string;
  applicationId: string;
}

export interface CalendarEdit {
  name?: string;
  description?: string | null;
  location?: string | null;
  timezone?: string | null;
  hexColor?: string | null;
  metadata?: Record<string, string>;
}

export function insertCalendar(
  tx: Tx,
  c: { grantId: string; id: string; name: string; now: number } & CalendarEdit,
): void {
  tx.insert(calendars)
    .values({
      id: c.id,
      grantId: c.grantId,
      name: c.name,
      description: c.description ?? null,
      location: c.location ?? null,
      timezone: c.timezone ?? null,
      hexColor: c.hexColor ?? null,
      metadataJson: JSON.stringify(c.metadata ?? {}),
      createdAt: c.now,
      updatedAt: c.now,
    })
    .run();
}

export function updateCalendar(tx: Tx, grantId: string, id: string, edit: CalendarEdit, now: number): void {
  const { metadata, ...rest } = edit;
  tx.update(calendars)
    .set({
      ...rest,
      ...(metadata && { metadataJson: JSON.stringify(metadata) }),
      updatedAt: now,
      davSeq: sql`${calendars.davSeq} + 1`,
    })
    .where(and(eq(calendars.grantId, grantId), eq(calendars.id, id)))
    .run();
}

/** Deletes a calendar and, by cascade, its events. */
export function deleteCalendar(tx: Tx, grantId: string, id: string): void {
  tx.delete(calendars)
    .where(and(eq(calendars.grantId, grantId), eq(calendars.id, id)))
    .run();
}

/** A row to insert: a single event or a master is named `<id>.ics` for CalDAV unless named. */
export type NewEventRow = Omit<CalendarEventRow, "davName" | "davSeq"> & { davName?: string | null };

export function insertEvent(tx: Tx, row: NewEventRow): void {
  const davName = row.masterEventId ? null : (row.davName ?? `${row.id}.ics`);
  tx.insert(calendarEvents)
    .values({ ...row, davName })
    .run();
  if (davName) tx.delete(calendarDavTombstones).where(tombstoneOf(row.calendarId, davName)).run();
  touchResource(tx, row.calendarId, row.masterEventId ?? row.id);
}

export function updateEvent(tx: Tx, grantId: string, id: string, columns: Partial<CalendarEventRow>): void {
  const row = tx
    .update(calendarEvents)
    .set(columns)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.id, id)))
    .returning({ calendarId: calendarEvents.calendarId, masterEventId: calendarEvents.masterEventId })
    .get();
  if (row) touchResource(tx, row.calendarId, row.masterEventId ?? id);
}

/** Deletes an event; a series' exceptions go with it, and its CalDAV resource leaves a tombstone. */
export function deleteEvent(tx: Tx, grantId: string, id: string): void {
  tx.delete(calendarEvents)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.masterEventId, id)))
    .run();
  const row = tx
    .delete(calendarEvents)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.id, id)))
    .returning({
      calendarId: calendarEvents.calendarId,
      masterEventId: calendarEvents.masterEventId,
      davName: calendarEvents.davName,
    })
    .get();
  if (!row) return;
  if (row.masterEventId) {
    touchResource(tx, row.calendarId, row.masterEventId);
  } else if (row.davName) {
    const davSeq = nextDavSeq(tx, row.calendarId);
    tx.insert(calendarDavTombstones)
      .values({ calendarId: row.calendarId, davName: row.davName, davSeq })
      .onConflictDoUpdate({
        target: [calendarDavTombstones.calendarId, calendarDavTombstones.davName],
        set: { davSeq },
      })
      .run();
  }
}

/** Moves the calendar's dav_seq and stamps the resource (single event or master) with it. */
function touchResource(tx: Tx, calendarId: string, resourceId: string): void {
  const davSeq = nextDavSeq(tx, calendarId);
  tx.update(calendarEvents).set({ davSeq }).where(eq(calendarEvents.id, resourceId)).run();
}

function nextDavSeq(tx: Tx, calendarId: string): number {
  const row = tx
    .update(calendars)
    .set({ davSeq: sql`${calendars.davSeq} + 1` })
    .where(eq(calendars.id, calendarId))
    .returning({ davSeq: calendars.davSeq })
    .get();
  return row?.davSeq ?? 0;
}

const tombstoneOf = (calendarId: string, davName: string) =>
  and(eq(calendarDavTombstones.calendarId, calendarId), eq(calendarDavTombstones.davName, davName));

/** The event-log row of a calendar change; delivery presents the calendar as its GET does. */
export function recordCalendarChange(
  tx: Tx,
  scope: CalendarScope,
  type: "calendar.created" | "calendar.updated" | "calendar.deleted",
  c: { id: string; name: string },
): Promise<void> {
  return recordEvent(tx, {
    applicationId: scope.applicationId,
    grantId: scope.grantId,
    type,
    object: { id: c.id, grant_id: scope.grantId, name: c.name, object: "calendar" },
  });
}

/** The event-log row of an event change; delivery presents the event as its GET does. */
export function recordEventChange(
  tx: Tx,
  scope: CalendarScope,
  type: "event.created" | "event.updated" | "event.deleted",
  e: { id: string; calendarId: string; masterEventId: string | null },
): Promise<void> {
  return recordEvent(tx, {
    applicationId: scope.applicationId,
    grantId: scope.grantId,
    type,
    object: {
      id: e.id,
      grant_id: scope.grantId,
      calendar_id: e.calendarId,
      object: "event",
      ...(e.masterEventId && { master_event_id: e.masterEventId }),
    },
  });
}
