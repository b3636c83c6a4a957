/**
 * When an account is busy: its events marked busy and not cancelled, on every one of its
 * calendars, that overlap a window (free/busy and, later, availability read this).
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, not, or, sql } from "drizzle-orm";
import { compiledOn } from "../store/compiled-reads.ts";
import type { Db } from "../store/db.ts";
import { calendarEvents, calendars } from "../store/schema.ts";
import { seriesOfRow } from "./events.ts";
import { occurrences } from "./recurrence.ts";

export interface BusySlot {
  start: number;
  end: number;
}

/** Events longer than this are read through their own index (calendar_events_long). */
const LONG = sql.raw("end_at - start_at > 2678400");
const LONG_S = 2_678_400;

/** Compiled once per connection (availability asks for several accounts at each request). */
const reads = compiledOn((db) => {
  const busy = and(
    eq(calendarEvents.calendarId, sql.placeholder("calendarId")),
    eq(calendarEvents.busy, true),
    ne(calendarEvents.status, "cancelled"),
  );
  const overlapping = and(
    lt(calendarEvents.startAt, sql.placeholder("to")),
    gt(calendarEvents.endAt, sql.placeholder("from")),
  );
  const span = { start: calendarEvents.startAt, end: calendarEvents.endAt };
  return {
    calendars: db
      .select({ id: calendars.id })
      .from(calendars)
      .where(eq(calendars.grantId, sql.placeholder("grantId")))
      .prepare(),
    // Each kind on its partial index: short events by start (from 31 days back), long ones by end.
    short: db
      .select(span)
      .from(calendarEvents)
      .where(
        and(
          busy,
          isNull(calendarEvents.recurrenceJson),
          gte(calendarEvents.startAt, sql.placeholder("shortFrom")),
          overlapping,
          not(LONG),
        ),
      )
      .prepare(),
    long: db
      .select(span)
      .from(calendarEvents)
      .where(and(busy, isNull(calendarEvents.recurrenceJson), LONG, overlapping))
      .prepare(),
    series: db
      .select({
        id: calendarEvents.id,
        startAt: calendarEvents.startAt,
        endAt: calendarEvents.endAt,
        whenJson: calendarEvents.whenJson,
        recurrenceJson: calendarEvents.recurrenceJson,
      })
      .from(calendarEvents)
      .where(
        and(
          busy,
          isNotNull(calendarEvents.recurrenceJson),
          lt(calendarEvents.startAt, sql.placeholder("to")),
          or(isNull(calendarEvents.seriesEnd), gt(calendarEvents.seriesEnd, sql.placeholder("from"))),
        ),
      )
      .prepare(),
  };
});

/** The busy spans overlapping (from, to), ordered by start; an occurrence's exception counts as itself. */
export function busySlots(db: Db, grantId: string, from: number, to: number): BusySlot[] {
  const q = reads(db);
  const slots: BusySlot[] = [];
  const series: {
    id: string;
    startAt: number;
    endAt: number;
    whenJson: string;
    recurrenceJson: string | null;
  }[] = [];
  for (const { id: calendarId } of q.calendars.all({ grantId })) {
    slots.push(...q.short.all({ calendarId, from, to, shortFrom: from - LONG_S }));
    slots.push(...q.long.all({ calendarId, from, to }));
    series.push(...q.series.all({ calendarId, from, to }));
  }
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
