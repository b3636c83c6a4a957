/**
 * An iTIP VEVENT about one occurrence of a series (RECURRENCE-ID), as Google, Outlook and Apple
 * send when one meeting of a series moves, is cancelled, or is answered: it changes that
 * occurrence only, stored as the series' exception under the occurrence's id (as an API change
 * or deletion of the occurrence would). The same rules as for a whole event: a REQUEST or CANCEL
 * counts only from the series' organizer and not older (SEQUENCE) than the exception already
 * stored; a REPLY only from a participant, on a series this account organizes. An occurrence
 * the series does not have, or a series not on the calendar, changes nothing.
 */
import type { CalendarView } from "../../src/calendar/calendars.ts";
import { columnsOf, type EventFields } from "../../src/calendar/event-fields.ts";
import { type EventView, eventByUid, getEvent, occurrenceId, viewOfRow } from "../../src/calendar/events.ts";
import { type ItipIn, withOwnAnswer } from "../../src/calendar/itip-in.ts";
import { insertEvent, recordEventChange, updateEvent } from "../../src/calendar/writes.ts";
import type { CommandContext } from "./command.ts";

export async function applyOccurrenceItip(
  ctx: CommandContext,
  calendar: CalendarView,
  itip: ItipIn,
  recurrenceId: number,
  from: string,
): Promise<void> {
  const { tx, state } = ctx;
  const master = eventByUid(tx, state.grantId, calendar.row.id, itip.uid);
  if (!master?.recurrenceJson) return;
  const occurrence = getEvent(tx, state.grantId, calendar.row.id, occurrenceId(master.id, recurrenceId));
  if (!occurrence) return;
  const account = calendar.ownerEmail.toLowerCase();
  const organizer = viewOfRow(master).fields.organizer?.email.toLowerCase();
  const stored = occurrence.id === occurrence.row.id;
  const asShown: EventFields = { ...occurrence.fields, when: occurrence.when, recurrence: null };

  if (itip.method === "REPLY") {
    if (organizer !== account) return;
    const answer = itip.fields.participants.find((p) => p.email.toLowerCase() === from);
    if (!answer || !asShown.participants.some((p) => p.email.toLowerCase() === from)) return;
    const participants = asShown.participants.map((p) =>
      p.email.toLowerCase() === from ? { ...p, status: answer.status } : p,
    );
    await store(
      ctx,
      occurrence,
      stored,
      { ...asShown, participants },
      occurrence.row.sequence,
      "event.updated",
    );
    return;
  }
  // The account's own message coming back, a stranger's, or an older one than what is stored.
  if (from === account || organizer !== from) return;
  if (stored && itip.sequence < occurrence.row.sequence) return;
  if (itip.method === "CANCEL") {
    await store(ctx, occurrence, stored, { ...asShown, status: "cancelled" }, itip.sequence, "event.deleted");
    return;
  }
  const mine = asShown.participants.find((p) => p.email.toLowerCase() === account);
  const fields: EventFields = {
    ...itip.fields,
    recurrence: null,
    participants: withOwnAnswer(itip, account, mine?.status),
  };
  await store(ctx, occurrence, stored, fields, itip.sequence, "event.updated");
}

/** The occurrence's exception row: changed if stored, else created under the occurrence's id. */
async function store(
  ctx: CommandContext,
  occurrence: EventView,
  stored: boolean,
  fields: EventFields,
  sequence: number,
  type: "event.updated" | "event.deleted",
) {
  const { tx, state, now } = ctx;
  if (stored) {
    updateEvent(tx, state.grantId, occurrence.id, { ...columnsOf(fields), sequence, updatedAt: now });
  } else {
    insertEvent(tx, {
      ...occurrence.row,
      id: occurrence.id,
      masterEventId: occurrence.masterEventId,
      originalStartTime: occurrence.originalStartTime,
      ...columnsOf(fields),
      sequence,
      createdAt: now,
      updatedAt: now,
    });
  }
  await recordEventChange(tx, state, type, {
    id: occurrence.id,
    calendarId: occurrence.row.calendarId,
    masterEventId: occurrence.masterEventId,
  });
}
