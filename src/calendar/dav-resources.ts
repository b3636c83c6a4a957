/**
 * A calendar's events as CalDAV resources: each single event or series' master under its
 * resource name, with its exceptions; the changes since a sync-token (RFC 6578), deletions
 * included through their tombstones.
 */
import { and, eq, gt, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import { type CalendarEventRow, calendarDavTombstones, calendarEvents } from "../store/schema.ts";
import { seriesOfRow } from "./events.ts";
import { occurrences } from "./recurrence.ts";

export interface DavResource {
  name: string;
  master: CalendarEventRow;
  exceptions: CalendarEventRow[];
}

/** The resource's ETag: it changes with every change to the event or one of its exceptions. */
export const etagOf = (master: CalendarEventRow) => `"${master.id}-${master.davSeq}"`;

const ofCalendar = (grantId: string, calendarId: string) =>
  and(eq(calendarEvents.grantId, grantId), eq(calendarEvents.calendarId, calendarId));

export function davResource(db: Db, grantId: string, calendarId: string, name: string): DavResource | null {
  const master = db
    .select()
    .from(calendarEvents)
    .where(and(ofCalendar(grantId, calendarId), eq(calendarEvents.davName, name)))
    .get();
  return master ? (withExceptions(db, [master])[0] ?? null) : null;
}

/** Every resource of the calendar, or those named in `names` (read 500 names at a time). */
export function davResources(db: Db, grantId: string, calendarId: string, names?: string[]): DavResource[] {
  const select = (named?: string[]) =>
    db
      .select()
      .from(calendarEvents)
      .where(
        and(
          ofCalendar(grantId, calendarId),
          isNotNull(calendarEvents.davName),
          named ? inArray(calendarEvents.davName, named) : undefined,
        ),
      )
      .orderBy(calendarEvents.davName)
      .all();
  if (!names) return withExceptions(db, select());
  const masters: CalendarEventRow[] = [];
  for (let i = 0; i < names.length; i += 500) masters.push(...select(names.slice(i, i + 500)));
  return withExceptions(db, masters);
}

/** The resource holding this iCalendar UID on the calendar, if any. */
export function davNameOfUid(db: Db, grantId: string, calendarId: string, uid: string): string | null {
  return (
    db
      .select({ name: calendarEvents.davName })
      .from(calendarEvents)
      .where(
        and(
          ofCalendar(grantId, calendarId),
          eq(calendarEvents.icalUid, uid),
          isNotNull(calendarEvents.davName),
        ),
      )
      .get()?.name ?? null
  );
}

function withExceptions(db: Db, masters: CalendarEventRow[]): DavResource[] {
  const series = masters.filter((m) => m.recurrenceJson).map((m) => m.id);
  const byMaster = new Map<string, CalendarEventRow[]>();
  for (let i = 0; i < series.length; i += 500) {
    const rows = db
      .select()
      .from(calendarEvents)
      .where(
        and(
          isNotNull(calendarEvents.masterEventId),
          inArray(calendarEvents.masterEventId, series.slice(i, i + 500)),
        ),
      )
      .orderBy(calendarEvents.originalStartTime)
      .all();
    for (const row of rows) {
      const list = byMaster.get(row.masterEventId ?? "") ?? [];
      list.push(row);
      byMaster.set(row.masterEventId ?? "", list);
    }
  }
  return masters.map((master) => ({
    name: master.davName ?? `${master.id}.ics`,
    master,
    exceptions: byMaster.get(master.id) ?? [],
  }));
}

/** What changed after `since` (a calendar's dav_seq): resources changed or added, names deleted. */
export function davChangesSince(db: Db, grantId: string, calendarId: string, since: number) {
  const changed = db
    .select({ name: calendarEvents.davName })
    .from(calendarEvents)
    .where(
      and(
        ofCalendar(grantId, calendarId),
        isNotNull(calendarEvents.davName),
        gt(calendarEvents.davSeq, since),
      ),
    )
    .all()
    .map((r) => r.name ?? "");
  const deleted = db
    .select({ name: calendarDavTombstones.davName })
    .from(calendarDavTombstones)
    .where(and(eq(calendarDavTombstones.calendarId, calendarId), gt(calendarDavTombstones.davSeq, since)))
    .all()
    .map((r) => r.name);
  return { changed, deleted };
}

const OPEN_RANGE_S = 5 * 366 * 86_400;

/**
 * Whether any instance of the resource overlaps [from, to) (RFC 4791 §9.9): the event, or each
 * occurrence of the series (an exception in its place, a cancelled one not at all).
 */
export function resourceOverlaps(resource: DavResource, from: number, to: number): boolean {
  return instancesIn(resource, from, to, true).length > 0;
}

export interface Instance {
  start: number;
  end: number;
  row: CalendarEventRow;
}

/** The instances overlapping [from, to), ordered by start (only the first when `first`). */
export function instancesIn(resource: DavResource, from: number, to: number, first = false): Instance[] {
  const overlaps = (start: number, end: number) =>
    end > start ? start < to && end > from : start >= from && start < to;
  const { master, exceptions } = resource;
  const found: Instance[] = exceptions
    .filter((e) => e.status !== "cancelled" && overlaps(e.startAt, e.endAt))
    .map((e) => ({ start: e.startAt, end: e.endAt, row: e }));
  if (first && found.length > 0) return found.slice(0, 1);
  if (!master.recurrenceJson) {
    if (overlaps(master.startAt, master.endAt))
      found.push({ start: master.startAt, end: master.endAt, row: master });
    return found;
  }
  const duration = master.endAt - master.startAt;
  const replaced = new Set(exceptions.map((e) => e.originalStartTime));
  // An open end is bounded by the series' own end, or a few years on for one that never ends.
  const lo = Math.max(from - duration, master.startAt);
  const hi = Math.min(to, master.seriesEnd ?? lo + OPEN_RANGE_S);
  if (hi < lo) return found;
  for (const start of occurrences(seriesOfRow(master), lo, hi)) {
    if (replaced.has(start) || !overlaps(start, start + duration)) continue;
    found.push({ start, end: start + duration, row: master });
    if (first) break;
  }
  return found.sort((a, b) => a.start - b.start);
}
