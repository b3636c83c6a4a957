/**
 * A calendar's events as the API reads them: singles, and recurring series expanded into their
 * occurrences (an occurrence with an exception row shows that row instead).
 */
import { and, eq, gte, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import { type CalendarEventRow, calendarEvents } from "../store/schema.ts";
import { type EventFields, fieldsOf } from "./event-fields.ts";
import { occurrences, seriesOf } from "./recurrence.ts";
import { spanOf, type When, whenAt } from "./when.ts";

/** One event as shown: a stored row, or an occurrence of a stored series. */
export interface EventView {
  id: string;
  row: CalendarEventRow;
  fields: EventFields;
  /** This event's (or occurrence's) when. */
  when: When;
  masterEventId: string | null;
  originalStartTime: number | null;
}

/** An occurrence's id: its series and its original start, as the exception row that replaces it. */
export const occurrenceId = (masterId: string, start: number) => `${masterId}_${start}`;
const OCCURRENCE = /^(.+)_(\d+)$/;

export interface EventFilter {
  /** Events starting at or after / ending at or before (Unix seconds). */
  start?: number;
  end?: number;
  title?: string;
  description?: string;
  location?: string;
  icalUid?: string;
  masterEventId?: string;
  busy?: boolean;
  showCancelled: boolean;
  expandRecurring: boolean;
  attendees?: string[];
  metadataPair?: [string, string];
  updatedBefore?: number;
  updatedAfter?: number;
}

/** How far an unbounded series is expanded when the list names no `end`. */
export const DEFAULT_EXPANSION_S = 366 * 86_400;

export function viewOfRow(row: CalendarEventRow): EventView {
  const fields = fieldsOf(row);
  return {
    id: row.id,
    row,
    fields,
    when: fields.when,
    masterEventId: row.masterEventId,
    originalStartTime: row.originalStartTime,
  };
}

function occurrenceView(master: CalendarEventRow, fields: EventFields, start: number): EventView {
  return {
    id: occurrenceId(master.id, start),
    row: master,
    fields,
    when: whenAt(fields.when, start),
    masterEventId: master.id,
    originalStartTime: start,
  };
}

/** An event by id (a row, or an occurrence of a series), or null. */
export function getEvent(db: Db, grantId: string, calendarId: string, id: string): EventView | null {
  const row = eventRow(db, grantId, calendarId, id);
  if (row) return viewOfRow(row);
  const m = OCCURRENCE.exec(id);
  if (!m) return null;
  const [, masterId = "", startText = ""] = m;
  const master = eventRow(db, grantId, calendarId, masterId);
  if (!master?.recurrenceJson) return null;
  const start = Number(startText);
  const fields = fieldsOf(master);
  const series = seriesOf(fields.recurrence ?? [], fields.when);
  return occurrences(series, start, start).includes(start) ? occurrenceView(master, fields, start) : null;
}

export function eventRow(db: Db, grantId: string, calendarId: string, id: string): CalendarEventRow | null {
  return (
    db
      .select()
      .from(calendarEvents)
      .where(
        and(
          eq(calendarEvents.grantId, grantId),
          eq(calendarEvents.calendarId, calendarId),
          eq(calendarEvents.id, id),
        ),
      )
      .get() ?? null
  );
}

/** Every event of the filter, ordered by start then id. */
export function listEvents(db: Db, grantId: string, calendarId: string, filter: EventFilter, now: number) {
  const from = filter.start ?? 0;
  const to = filter.end ?? Math.max(now, from) + DEFAULT_EXPANSION_S;
  const ofCalendar = and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.calendarId, calendarId));
  const inRange = and(
    gte(calendarEvents.startAt, from),
    filter.end === undefined ? undefined : lte(calendarEvents.startAt, filter.end),
  );
  const series = and(
    isNotNull(calendarEvents.recurrenceJson),
    lte(calendarEvents.startAt, to),
    or(isNull(calendarEvents.seriesEnd), gte(calendarEvents.seriesEnd, from)),
  );
  const rows = filter.icalUid
    ? db
        .select()
        .from(calendarEvents)
        .where(and(ofCalendar, eq(calendarEvents.icalUid, filter.icalUid)))
        .all()
    : db
        .select()
        .from(calendarEvents)
        .where(and(ofCalendar, or(and(isNull(calendarEvents.recurrenceJson), inRange), series)))
        .all();
  const views = filter.expandRecurring
    ? expand(rows, from, to)
    : rows.filter((r) => !r.masterEventId).map(viewOfRow);
  return views.filter((v) => matches(v, filter, from)).sort(byStart);
}

function expand(rows: CalendarEventRow[], from: number, to: number): EventView[] {
  const replaced = new Set<string>();
  for (const r of rows)
    if (r.masterEventId && r.originalStartTime !== null)
      replaced.add(occurrenceId(r.masterEventId, r.originalStartTime));
  const views: EventView[] = [];
  for (const row of rows) {
    if (!row.recurrenceJson) {
      views.push(viewOfRow(row));
      continue;
    }
    const fields = fieldsOf(row);
    for (const start of occurrences(seriesOf(fields.recurrence ?? [], fields.when), from, to)) {
      if (!replaced.has(occurrenceId(row.id, start))) views.push(occurrenceView(row, fields, start));
    }
  }
  return views;
}

const includes = (value: string | null, part: string | undefined) =>
  part === undefined || (value ?? "").toLowerCase().includes(part.toLowerCase());

function matches(v: EventView, f: EventFilter, from: number): boolean {
  const span = spanOf(v.when);
  if (span.start < from || (f.end !== undefined && span.end > f.end)) return false;
  const e = v.fields;
  if (!f.showCancelled && e.status === "cancelled") return false;
  if (
    !includes(e.title, f.title) ||
    !includes(e.description, f.description) ||
    !includes(e.location, f.location)
  )
    return false;
  if (f.masterEventId !== undefined && v.masterEventId !== f.masterEventId) return false;
  if (f.busy !== undefined && e.busy !== f.busy) return false;
  if (f.updatedBefore !== undefined && v.row.updatedAt >= f.updatedBefore) return false;
  if (f.updatedAfter !== undefined && v.row.updatedAt <= f.updatedAfter) return false;
  if (f.metadataPair && e.metadata[f.metadataPair[0]] !== f.metadataPair[1]) return false;
  if (f.attendees) {
    const emails = new Set(e.participants.map((p) => p.email.toLowerCase()));
    if (!f.attendees.some((a) => emails.has(a.toLowerCase()))) return false;
  }
  return true;
}

const byStart = (a: EventView, b: EventView) =>
  spanOf(a.when).start - spanOf(b.when).start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** GET /events/import: masters, exceptions and singles starting in the window, unexpanded. */
export function importEvents(db: Db, grantId: string, calendarId: string, start?: number, end?: number) {
  return db
    .select()
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.grantId, grantId),
        eq(calendarEvents.calendarId, calendarId),
        start === undefined
          ? undefined
          : or(
              gte(calendarEvents.endAt, start),
              and(
                isNotNull(calendarEvents.recurrenceJson),
                or(isNull(calendarEvents.seriesEnd), gte(calendarEvents.seriesEnd, start)),
              ),
            ),
        end === undefined ? undefined : lte(calendarEvents.startAt, end),
      ),
    )
    .orderBy(calendarEvents.startAt, calendarEvents.id)
    .all()
    .map(viewOfRow);
}
