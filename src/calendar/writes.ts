/**
 * Every statement the mailbox actor runs on a grant's calendars and events, and their event-log
 * rows (calendar.* and event.*): the calendar is account state, changed only through the actor.
 */
import { and, eq } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import type { Tx } from "../store/db.ts";
import { type CalendarEventRow, calendarEvents, calendars } from "../store/schema.ts";

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
    .set({ ...rest, ...(metadata && { metadataJson: JSON.stringify(metadata) }), updatedAt: now })
    .where(and(eq(calendars.grantId, grantId), eq(calendars.id, id)))
    .run();
}

/** Deletes a calendar and, by cascade, its events. */
export function deleteCalendar(tx: Tx, grantId: string, id: string): void {
  tx.delete(calendars)
    .where(and(eq(calendars.grantId, grantId), eq(calendars.id, id)))
    .run();
}

export function insertEvent(tx: Tx, row: CalendarEventRow): void {
  tx.insert(calendarEvents).values(row).run();
}

export function updateEvent(tx: Tx, grantId: string, id: string, columns: Partial<CalendarEventRow>): void {
  tx.update(calendarEvents)
    .set(columns)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.id, id)))
    .run();
}

/** Deletes an event; a series' exceptions go with it. */
export function deleteEvent(tx: Tx, grantId: string, id: string): void {
  tx.delete(calendarEvents)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.masterEventId, id)))
    .run();
  tx.delete(calendarEvents)
    .where(and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.id, id)))
    .run();
}

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
