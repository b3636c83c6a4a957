/**
 * When an account is busy: its events marked busy and not cancelled, on every one of its
 * calendars, that overlap a window (free/busy and, later, availability read this).
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, not, or, sql } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import { type CalendarEventRow, calendarEvents, calendars } from "../store/schema.ts";
import { seriesOfRow } from "./events.ts";
import { occurrences } from "./recurrence.ts";

export interface BusySlot {
  start: number;
  end: number;
}

/** Events longer than this are read through their own index (calendar_events_long). */
const LONG = sql.raw("end_at - start_at > 2678400");
const LONG_S = 2_678_400;

/** The busy spans overlapping (from, to), ordered by start; an occurrence's exception counts as itself. */
export function busySlots(db: Db, grantId: string, from: number, to: number): BusySlot[] {
  const singles: BusySlot[] = [];
  const series: CalendarEventRow[] = [];
  for (const { id } of db
    .select({ id: calendars.id })
    .from(calendars)
    .where(eq(calendars.grantId, grantId))
    .all()) {
    const busy = and(
      eq(calendarEvents.calendarId, id),
      eq(calendarEvents.busy, true),
      ne(calendarEvents.status, "cancelled"),
    );
    const overlapping = and(lt(calendarEvents.startAt, to), gt(calendarEvents.endAt, from));
    const span = { start: calendarEvents.startAt, end: calendarEvents.endAt };
    // Each kind on its partial index: short events by start (from 31 days back), long ones by end.
    singles.push(
      ...db
        .select(span)
        .from(calendarEvents)
        .where(
          and(
            busy,
            isNull(calendarEvents.recurrenceJson),
            gte(calendarEvents.startAt, from - LONG_S),
            overlapping,
            not(LONG),
          ),
        )
        .all(),
      ...db
        .select(span)
        .from(calendarEvents)
        .where(and(busy, isNull(calendarEvents.recurrenceJson), LONG, overlapping))
        .all(),
    );
    series.push(
      ...db
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
        .all(),
    );
  }
  const slots: BusySlot[] = [...singles];
  const replaced = new Set<string>();
  if (series.length > 0)
    for (const e of db
      .select({ master: calendarEvents.masterEventId, start: calendarEvents.originalStartTime })
      .from(calendarEvents)
      .where(
        and(
          isNotNull(calendarEvents.masterEventId),
          inArray(
            calendarEvents.masterEventId,
            series.map((r) => r.id),
          ),
        ),
      )
      .all())
      replaced.add(`${e.master} ${e.start}`);
  for (const row of series) {
    const duration = row.endAt - row.startAt;
    for (const start of occurrences(seriesOfRow(row), from - duration, to)) {
      if (!replaced.has(`${row.id} ${start}`) && start < to && start + duration > from)
        slots.push({ start, end: start + duration });
    }
  }
  return slots.sort((a, b) => a.start - b.start || a.end - b.end);
}
