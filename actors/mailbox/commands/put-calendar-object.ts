import type { CalendarObject } from "../../../src/calendar/calendar-object.ts";
import { findCalendar } from "../../../src/calendar/calendars.ts";
import { type DavResource, davNameOfUid, davResource, etagOf } from "../../../src/calendar/dav-resources.ts";

type CalendarEventRow = DavResource["master"];

import { columnsOf, type EventFields, fieldsOf } from "../../../src/calendar/event-fields.ts";
import { occurrenceId } from "../../../src/calendar/events.ts";
import { deleteEvent, insertEvent, recordEventChange, updateEvent } from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { newId } from "../../../src/ids.ts";
import type { CommandContext } from "../command.ts";
import { command } from "../command.ts";

export interface PutCalendarObjectCommand {
  calendarId: string;
  /** The resource's name in its calendar (`…​.ics`). */
  name: string;
  object: CalendarObject;
  /** Replace only the resource with this ETag (If-Match). */
  expectedEtag?: string;
  /** Replace only: refuse if there is no such resource (If-Match: *). */
  mustExist?: boolean;
  /** Create only: refuse if the name is taken (If-None-Match: *). */
  mustNotExist?: boolean;
}

export type PutCalendarObjectReply =
  | { outcome: "created" | "updated"; etag: string }
  | { outcome: "precondition_failed" }
  /** The UID is another resource's of this calendar (or the resource had another UID). */
  | { outcome: "uid_conflict"; name: string };

/**
 * Stores a calendar object resource written by a CalDAV client: the single event or the series'
 * master (fields the iCalendar text does not carry, such as metadata, are kept), and its
 * exceptions replaced by the body's. Fires event.created / event.updated as the API does.
 */
export const putCalendarObject = command<PutCalendarObjectCommand, PutCalendarObjectReply>(
  async (ctx, cmd) => {
    const { state, tx } = ctx;
    const calendar = findCalendar(tx, state.grantId, cmd.calendarId);
    if (!calendar) throw new MailboxError("not_found", `calendar ${cmd.calendarId} not found`);
    const calendarId = calendar.row.id;
    const existing = davResource(tx, state.grantId, calendarId, cmd.name);
    if (
      (cmd.mustNotExist && existing) ||
      (cmd.mustExist && !existing) ||
      (cmd.expectedEtag !== undefined && (!existing || etagOf(existing.master) !== cmd.expectedEtag))
    )
      return { outcome: "precondition_failed" };
    const holder = davNameOfUid(tx, state.grantId, calendarId, cmd.object.uid);
    if (holder !== null && holder !== cmd.name) return { outcome: "uid_conflict", name: holder };
    if (existing && existing.master.icalUid !== cmd.object.uid)
      return { outcome: "uid_conflict", name: cmd.name };
    const masterId = existing
      ? replaceMaster(ctx, existing.master, cmd.object)
      : insertMaster(ctx, calendarId, cmd.name, cmd.object);
    await recordEventChange(tx, state, existing ? "event.updated" : "event.created", {
      id: masterId,
      calendarId,
      masterEventId: null,
    });
    await replaceExceptions(ctx, calendarId, masterId, existing?.exceptions ?? [], cmd.object, !existing);
    const stored = davResource(tx, state.grantId, calendarId, cmd.name);
    return { outcome: existing ? "updated" : "created", etag: stored ? etagOf(stored.master) : "" };
  },
);

/** What the iCalendar text does not carry (metadata, conferencing, capacity…) is kept from the stored event. */
function keptFields(stored: EventFields, incoming: EventFields): EventFields {
  return {
    ...incoming,
    conferencing: stored.conferencing,
    metadata: stored.metadata,
    capacity: stored.capacity,
    hideParticipants: stored.hideParticipants,
  };
}

function replaceMaster(ctx: CommandContext, master: CalendarEventRow, object: CalendarObject): string {
  updateEvent(ctx.tx, ctx.state.grantId, master.id, {
    ...columnsOf(keptFields(fieldsOf(master), object.master)),
    sequence: Math.max(object.sequence, master.sequence),
    updatedAt: ctx.now,
  });
  return master.id;
}

function insertMaster(ctx: CommandContext, calendarId: string, name: string, object: CalendarObject): string {
  const id = newId();
  insertEvent(ctx.tx, {
    id,
    grantId: ctx.state.grantId,
    calendarId,
    icalUid: object.uid,
    masterEventId: null,
    originalStartTime: null,
    ...columnsOf(object.master),
    sequence: object.sequence,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    davName: name,
  });
  return id;
}

/**
 * The body's overrides replace the stored exceptions; each one new or changed is told as a
 * change of that occurrence, and so is each one that went back to being a plain occurrence.
 */
async function replaceExceptions(
  ctx: CommandContext,
  calendarId: string,
  masterId: string,
  before: CalendarEventRow[],
  object: CalendarObject,
  created: boolean,
): Promise<void> {
  const { tx, state, now } = ctx;
  const old = new Map(before.map((row) => [row.originalStartTime, row]));
  const incoming = new Set(object.exceptions.map((e) => e.recurrenceId));
  for (const row of before) {
    deleteEvent(tx, state.grantId, row.id);
    if (!incoming.has(row.originalStartTime ?? -1) && row.status !== "cancelled")
      await recordEventChange(tx, state, "event.updated", {
        id: row.id,
        calendarId,
        masterEventId: masterId,
      });
  }
  for (const e of object.exceptions) {
    const previous = old.get(e.recurrenceId);
    const fields = previous ? keptFields(fieldsOf(previous), e.fields) : e.fields;
    const columns = columnsOf({ ...fields, recurrence: null });
    const id = occurrenceId(masterId, e.recurrenceId);
    insertEvent(tx, {
      id,
      grantId: state.grantId,
      calendarId,
      icalUid: object.uid,
      masterEventId: masterId,
      originalStartTime: e.recurrenceId,
      ...columns,
      sequence: e.sequence,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    });
    if (previous && sameContent(previous, columns)) continue;
    await recordEventChange(tx, state, created ? "event.created" : "event.updated", {
      id,
      calendarId,
      masterEventId: masterId,
    });
  }
}

function sameContent(row: CalendarEventRow, columns: ReturnType<typeof columnsOf>): boolean {
  return Object.entries(columns).every(([key, value]) => row[key as keyof CalendarEventRow] === value);
}
