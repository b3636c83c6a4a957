/**
 * When an account is busy: its events marked busy and not cancelled, on every one of its
 * calendars, that overlap a window (free/busy and, later, availability read this).
 */
import { and, eq, gt, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import { calendarEvents } from "../store/schema.ts";
import { fieldsOf } from "./event-fields.ts";
import { seriesOfRow } from "./events.ts";
import { occurrences } from "./recurrence.ts";

export interface BusySlot {
  start: number;
  end: number;
}

/** The busy spans overlapping (from, to), ordered by start; an occurrence's exception counts as itself. */
export function busySlots(db: Db, grantId: string, from: number, to: number): BusySlot[] {
  const busy = and(
    eq(calendarEvents.grantId, grantId),
    eq(calendarEvents.busy, true),
    ne(calendarEvents.status, "cancelled"),
  );
  const singles = db
    .select({ start: calendarEvents.startAt, end: calendarEvents.endAt })
    .from(calendarEvents)
    .where(
      and(
        busy,
        isNull(calendarEvents.recurrenceJson),
        lt(calendarEvents.startAt, to),
        gt(calendarEvents.endAt, from),
      ),
    )
    .all();
  const series = db
    .select()
    .from(calendarEvents)
    .where(
      and(
        busy,
        isNotNull(calendarEvents.recurrenceJson),
        lt(calendarEvents.startAt, to),
        or(isNull(calendarEvents.seriesEnd), gt(calendarEvents.seriesEnd, from)),
      ),
    )
    .all();
  const slots: BusySlot[] = [...singles];
  for (const row of series) {
    const duration = row.endAt - row.startAt;
    const replaced = new Set(
      db
        .select({ start: calendarEvents.originalStartTime })
        .from(calendarEvents)
        .where(and(isNotNull(calendarEvents.masterEventId), eq(calendarEvents.masterEventId, row.id)))
        .all()
        .map((r) => r.start),
    );
    for (const start of occurrences(seriesOfRow(row, fieldsOf(row)), from - duration, to)) {
      if (!replaced.has(start) && start < to && start + duration > from)
        slots.push({ start, end: start + duration });
    }
  }
  return slots.sort((a, b) => a.start - b.start || a.end - b.end);
}
