/**
 * A calendar's events as the API reads them: singles, and recurring series expanded into their
 * occurrences (an occurrence with an exception row shows that row instead).
 */
import { and, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { compiledOn } from "../store/compiled-reads.ts";
import type { Db } from "../store/db.ts";
import { type CalendarEventRow, calendarEvents } from "../store/schema.ts";
import { type EventFields, fieldsOf } from "./event-fields.ts";
import { occurrences, type Series, seriesOf } from "./recurrence.ts";
import { type When, whenAt } from "./when.ts";

/** One event as shown: a stored row, or an occurrence of a stored series. */
export interface EventView {
  readonly id: string;
  readonly row: CalendarEventRow;
  /** The content (its JSON parsed on first use: a list filters most rows by their columns). */
  readonly fields: EventFields;
  /** This event's (or occurrence's) when. */
  readonly when: When;
  /** The span it covers (Unix seconds). */
  readonly start: number;
  readonly end: number;
  readonly masterEventId: string | null;
  readonly originalStartTime: number | null;
  /** The stored row it comes from (a series' id for an occurrence): orders views of one start. */
  readonly rowId: string;
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

/** A stored row as shown; its JSON is parsed on first use. */
class RowView implements EventView {
  private parsed: EventFields | null = null;
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly masterEventId: string | null;
  readonly originalStartTime: number | null;

  readonly rowId: string;

  constructor(readonly row: CalendarEventRow) {
    this.id = row.id;
    this.rowId = row.id;
    this.start = row.startAt;
    this.end = row.endAt;
    this.masterEventId = row.masterEventId;
    this.originalStartTime = row.originalStartTime;
  }

  get fields(): EventFields {
    this.parsed ??= fieldsOf(this.row);
    return this.parsed;
  }

  get when(): When {
    return this.fields.when;
  }
}

/** An occurrence of a series: its id and `when` are made only when shown. */
class OccurrenceView implements EventView {
  readonly end: number;
  readonly originalStartTime: number;

  /** `master`: the series as stored, its content parsed once for all its occurrences, if shown. */
  constructor(
    readonly master: EventView,
    readonly start: number,
    duration: number,
  ) {
    this.end = start + duration;
    this.originalStartTime = start;
  }

  get row(): CalendarEventRow {
    return this.master.row;
  }

  get fields(): EventFields {
    return this.master.fields;
  }

  get id(): string {
    return occurrenceId(this.row.id, this.start);
  }

  get masterEventId(): string {
    return this.row.id;
  }

  get rowId(): string {
    return this.master.id;
  }

  get when(): When {
    return whenAt(this.fields.when, this.start);
  }
}

/**
 * A single event or exception known by the columns a list orders and pages by (read from one
 * covering index); the rest of its row is read only if it is shown, by its primary key.
 */
class SlotView implements EventView {
  private loaded: CalendarEventRow | null = null;
  private parsed: EventFields | null = null;

  constructor(
    private readonly db: Db,
    private readonly grantId: string,
    readonly id: string,
    readonly start: number,
    readonly end: number,
    readonly status: string,
  ) {}

  get rowId(): string {
    return this.id;
  }

  get isLoaded(): boolean {
    return this.loaded !== null;
  }

  /** Takes its row (read with others'); the calendar was checked to be the grant's, the row is too. */
  load(row: CalendarEventRow): void {
    if (row.grantId !== this.grantId) throw new Error(`event ${this.id} is not the grant's`);
    this.loaded = row;
  }

  get row(): CalendarEventRow {
    if (!this.loaded) {
      const row = reads(this.db).byId.get({ id: this.id });
      if (!row) throw new Error(`event ${this.id} vanished from its list`);
      this.load(row);
    }
    return this.loaded as CalendarEventRow;
  }

  get fields(): EventFields {
    this.parsed ??= fieldsOf(this.row);
    return this.parsed;
  }

  get when(): When {
    return this.fields.when;
  }

  get masterEventId(): string | null {
    return this.row.masterEventId;
  }

  get originalStartTime(): number | null {
    return this.row.originalStartTime;
  }
}

/** Statements compiled once per connection, for the list's hot path. */
const reads = compiledOn((db) => ({
  byId: db
    .select()
    .from(calendarEvents)
    .where(eq(calendarEvents.id, sql.placeholder("id")))
    .prepare(),
  /** Singles and exceptions starting in a window: served by calendar_events_window alone. */
  slots: db
    .select({
      id: calendarEvents.id,
      startAt: calendarEvents.startAt,
      endAt: calendarEvents.endAt,
      status: calendarEvents.status,
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.calendarId, sql.placeholder("calendarId")),
        isNull(calendarEvents.recurrenceJson),
        gte(calendarEvents.startAt, sql.placeholder("from")),
        lte(calendarEvents.startAt, sql.placeholder("to")),
      ),
    )
    .prepare(),
  /** The series that may have occurrences in a window: what expanding them takes, no more. */
  series: db
    .select({
      id: calendarEvents.id,
      startAt: calendarEvents.startAt,
      endAt: calendarEvents.endAt,
      status: calendarEvents.status,
      whenJson: calendarEvents.whenJson,
      recurrenceJson: calendarEvents.recurrenceJson,
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.calendarId, sql.placeholder("calendarId")),
        isNotNull(calendarEvents.recurrenceJson),
        lte(calendarEvents.startAt, sql.placeholder("to")),
        or(isNull(calendarEvents.seriesEnd), gte(calendarEvents.seriesEnd, sql.placeholder("from"))),
      ),
    )
    .prepare(),
}));

/** The view whose row a view shows: an occurrence shows its series'. */
const storedOf = (v: EventView) => (v instanceof OccurrenceView ? v.master : v);

/**
 * Reads the rows of the views about to be shown in one statement (a list reads its singles' and
 * series' rows only for its page): one IN costs a third of as many reads by key. Returns the
 * views that are still there (an event deleted since the list was read is left out).
 */
export function readRows(db: Db, views: readonly EventView[]): EventView[] {
  const pending = [
    ...new Set(views.map(storedOf).filter((v): v is SlotView => v instanceof SlotView && !v.isLoaded)),
  ];
  if (pending.length === 0) return [...views];
  const rows = db
    .select()
    .from(calendarEvents)
    .where(
      inArray(
        calendarEvents.id,
        pending.map((v) => v.id),
      ),
    )
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const v of pending) {
    const row = byId.get(v.id);
    if (row) v.load(row);
  }
  return views.filter((v) => {
    const stored = storedOf(v);
    return !(stored instanceof SlotView) || stored.isLoaded;
  });
}

export const viewOfRow = (row: CalendarEventRow): EventView => new RowView(row);
const occurrenceView = (master: EventView, start: number): EventView =>
  new OccurrenceView(master, start, master.end - master.start);

/** Parsed series by their content: parsing a rule costs far more than expanding a month of it. */
const parsedSeries = new Map<string, Series>();
const MAX_PARSED_SERIES = 20_000;

/** A stored series' rule, parsed once for as long as its `when` and recurrence stay the same. */
export function seriesOfRow(row: Pick<CalendarEventRow, "whenJson" | "recurrenceJson">): Series {
  const key = `${row.whenJson}\n${row.recurrenceJson}`;
  let series = parsedSeries.get(key);
  if (!series) {
    series = seriesOf(JSON.parse(row.recurrenceJson ?? "[]") as string[], JSON.parse(row.whenJson) as When);
    if (parsedSeries.size >= MAX_PARSED_SERIES) parsedSeries.clear();
    parsedSeries.set(key, series);
  }
  return series;
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
  return occurrences(seriesOfRow(master), start, start).includes(start)
    ? occurrenceView(viewOfRow(master), start)
    : null;
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

/** The event (single or series, not an exception) with this iCalendar UID on a calendar. */
export function eventByUid(
  db: Db,
  grantId: string,
  calendarId: string,
  uid: string,
): CalendarEventRow | null {
  return (
    db
      .select()
      .from(calendarEvents)
      .where(
        and(
          eq(calendarEvents.grantId, grantId),
          eq(calendarEvents.calendarId, calendarId),
          eq(calendarEvents.icalUid, uid),
          isNull(calendarEvents.masterEventId),
        ),
      )
      .get() ?? null
  );
}

/** Every event of the filter, ordered by start then id. */
export function listEvents(db: Db, grantId: string, calendarId: string, filter: EventFilter, now: number) {
  const from = filter.start ?? 0;
  const to = filter.end ?? Math.max(now, from) + DEFAULT_EXPANSION_S;
  if (isWindowOnly(filter)) return listWindow(db, grantId, calendarId, filter, from, to);
  const ofCalendar = and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.calendarId, calendarId));
  const select = (where: ReturnType<typeof and>) => db.select().from(calendarEvents).where(where).all();
  // Two statements, each on its index: single events (and exceptions) by start, series by their
  // partial index (one OR of both would walk every event before `to`).
  const rows = filter.icalUid
    ? select(and(ofCalendar, eq(calendarEvents.icalUid, filter.icalUid)))
    : [
        ...select(
          and(
            ofCalendar,
            isNull(calendarEvents.recurrenceJson),
            gte(calendarEvents.startAt, from),
            filter.end === undefined ? undefined : lte(calendarEvents.startAt, filter.end),
          ),
        ),
        ...select(
          and(
            ofCalendar,
            isNotNull(calendarEvents.recurrenceJson),
            lte(calendarEvents.startAt, to),
            or(isNull(calendarEvents.seriesEnd), gte(calendarEvents.seriesEnd, from)),
          ),
        ),
      ];
  const views = filter.expandRecurring
    ? expand(db, rows, from, to)
    : rows.filter((r) => !r.masterEventId).map(viewOfRow);
  return views.filter((v) => matches(v, filter, from)).sort(byStart);
}

/** A list that filters by nothing but its window and status: the common case, and the fast one. */
const isWindowOnly = (f: EventFilter) =>
  f.expandRecurring &&
  [
    f.title,
    f.description,
    f.location,
    f.icalUid,
    f.masterEventId,
    f.busy,
    f.attendees,
    f.metadataPair,
    f.updatedBefore,
    f.updatedAfter,
  ].every((v) => v === undefined);

/**
 * The window's singles and exceptions from the covering index (their rows read only when shown),
 * and its series' occurrences; ordered as every list is.
 */
function listWindow(db: Db, grantId: string, calendarId: string, f: EventFilter, from: number, to: number) {
  const singles: EventView[] = [];
  for (const s of reads(db).slots.all({ calendarId, from, to: f.end ?? Number.MAX_SAFE_INTEGER })) {
    if (s.endAt > (f.end ?? Number.POSITIVE_INFINITY)) continue;
    if (!f.showCancelled && s.status === "cancelled") continue;
    singles.push(new SlotView(db, grantId, s.id, s.startAt, s.endAt, s.status));
  }
  const series = reads(db)
    .series.all({ calendarId, from, to })
    .filter((r) => f.showCancelled || r.status !== "cancelled");
  const replaced = replacedStarts(
    db,
    series.map((r) => r.id),
  );
  const last = f.end ?? Number.POSITIVE_INFINITY;
  const expanded: EventView[] = [];
  for (const r of series) {
    const master = new SlotView(db, grantId, r.id, r.startAt, r.endAt, r.status);
    const duration = r.endAt - r.startAt;
    const skip = replaced.get(r.id);
    for (const start of occurrences(seriesOfRow(r), from, to)) {
      if (start + duration <= last && !skip?.has(start))
        expanded.push(new OccurrenceView(master, start, duration));
    }
  }
  return [...singles, ...expanded].sort(byStart);
}

/**
 * Every single event and exception of `rows`, and each series' occurrences in [from, to] except
 * those an exception replaces (wherever that exception moved it).
 */
function expand(db: Db, rows: CalendarEventRow[], from: number, to: number): EventView[] {
  const replaced = replacedStarts(
    db,
    rows.filter((r) => r.recurrenceJson).map((r) => r.id),
  );
  const views: EventView[] = [];
  for (const row of rows) {
    if (!row.recurrenceJson) {
      views.push(viewOfRow(row));
      continue;
    }
    const master = viewOfRow(row);
    const skip = replaced.get(row.id);
    for (const start of occurrences(seriesOfRow(row), from, to)) {
      if (!skip?.has(start)) views.push(occurrenceView(master, start));
    }
  }
  return views;
}

/** The original starts of the series' occurrences an exception replaces, by series. */
function replacedStarts(db: Db, masters: string[]): Map<string, Set<number>> {
  const replaced = new Map<string, Set<number>>();
  if (masters.length === 0) return replaced;
  const exceptions = db
    .select({ master: calendarEvents.masterEventId, start: calendarEvents.originalStartTime })
    .from(calendarEvents)
    // By master alone (the masters are this grant's): IS NOT NULL lets SQLite use the partial
    // index on master_event_id, where a grant_id term would make it walk the grant's events.
    .where(and(isNotNull(calendarEvents.masterEventId), inArray(calendarEvents.masterEventId, masters)))
    .all();
  for (const { master, start } of exceptions) {
    if (master === null || start === null) continue;
    const starts = replaced.get(master) ?? new Set<number>();
    starts.add(start);
    replaced.set(master, starts);
  }
  return replaced;
}

const includes = (value: string | null, part: string | undefined) =>
  part === undefined || (value ?? "").toLowerCase().includes(part.toLowerCase());

function matches(v: EventView, f: EventFilter, from: number): boolean {
  if (v.start < from || (f.end !== undefined && v.end > f.end)) return false;
  const r = v.row;
  if (!f.showCancelled && r.status === "cancelled") return false;
  if (
    !includes(r.title, f.title) ||
    !includes(r.description, f.description) ||
    !includes(r.location, f.location)
  )
    return false;
  if (f.masterEventId !== undefined && v.masterEventId !== f.masterEventId) return false;
  if (f.busy !== undefined && r.busy !== f.busy) return false;
  if (f.updatedBefore !== undefined && r.updatedAt >= f.updatedBefore) return false;
  if (f.updatedAfter !== undefined && r.updatedAt <= f.updatedAfter) return false;
  if (f.metadataPair && v.fields.metadata[f.metadataPair[0]] !== f.metadataPair[1]) return false;
  if (f.attendees) {
    const emails = new Set(v.fields.participants.map((p) => p.email.toLowerCase()));
    if (!f.attendees.some((a) => emails.has(a.toLowerCase()))) return false;
  }
  return true;
}

/** By start, then by the stored row (an occurrence and its series' other rows never share a start). */
const byStart = (a: EventView, b: EventView) =>
  a.start - b.start || (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0);

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
