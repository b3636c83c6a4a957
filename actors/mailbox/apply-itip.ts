/**
 * An invitation arriving in the INBOX (iMIP) applied to the account's primary calendar, in the
 * same unit as the message: a REQUEST creates or updates the event (the account's own answer
 * `noreply` until it answers), a REPLY sets the answering participant's status on an event this
 * account organizes, a CANCEL cancels. SEQUENCE rules (RFC 5546 §2.1.4): an older REQUEST or
 * CANCEL than the stored event changes nothing. A REPLY counts only from the participant it
 * answers for, a CANCEL of a known event only from its organizer. The mail itself stays.
 * A VEVENT about one occurrence of a series (RECURRENCE-ID) changes that occurrence only
 * (apply-itip-occurrence.ts).
 */
import { type CalendarView, findCalendar } from "../../src/calendar/calendars.ts";
import { columnsOf, type EventFields } from "../../src/calendar/event-fields.ts";
import { eventByUid, viewOfRow } from "../../src/calendar/events.ts";
import { type ItipIn, parseItipEvents, withOwnAnswer } from "../../src/calendar/itip-in.ts";
import { insertEvent, recordEventChange, updateEvent } from "../../src/calendar/writes.ts";
import { newId } from "../../src/ids.ts";
import { applyOccurrenceItip } from "./apply-itip-occurrence.ts";
import type { CommandContext } from "./command.ts";

export async function applyItip(ctx: CommandContext, ics: string, sender: string | null): Promise<void> {
  if (!sender) return;
  const calendar = findCalendar(ctx.tx, ctx.state.grantId, "primary");
  if (!calendar) return;
  for (const itip of parseItipEvents(ics)) {
    if (itip.recurrenceId === undefined) await applyWhole(ctx, calendar, itip, sender.toLowerCase());
    else await applyOccurrenceItip(ctx, calendar, itip, itip.recurrenceId, sender.toLowerCase());
  }
}

async function applyWhole(ctx: CommandContext, calendar: CalendarView, itip: ItipIn, from: string) {
  const account = calendar.ownerEmail;
  const existing = eventByUid(ctx.tx, ctx.state.grantId, calendar.row.id, itip.uid);
  const organizer = itip.fields.organizer?.email.toLowerCase();
  if (itip.method === "REPLY") {
    if (!existing || existing.organizerJson === null) return;
    const view = viewOfRow(existing);
    if (view.fields.organizer?.email.toLowerCase() !== account.toLowerCase()) return;
    const answer = itip.fields.participants.find((p) => p.email.toLowerCase() === from);
    if (!answer) return;
    const participants = view.fields.participants.map((p) =>
      p.email.toLowerCase() === from ? { ...p, status: answer.status } : p,
    );
    if (!participants.some((p) => p.email.toLowerCase() === from)) return;
    await write(ctx, existing.id, existing.calendarId, { ...view.fields, participants }, existing.sequence);
    return;
  }
  // The account's own REQUEST or CANCEL coming back (a copy to itself): its calendar is the source.
  if (from === account.toLowerCase()) return;
  if (existing) {
    const view = viewOfRow(existing);
    if (view.fields.organizer?.email.toLowerCase() !== from || itip.sequence < existing.sequence) return;
    const mine = view.fields.participants.find((p) => p.email.toLowerCase() === account.toLowerCase());
    const fields: EventFields =
      itip.method === "CANCEL"
        ? { ...view.fields, status: "cancelled" }
        : { ...itip.fields, participants: withOwnAnswer(itip, account, mine?.status) };
    await write(ctx, existing.id, existing.calendarId, fields, itip.sequence);
    return;
  }
  if (itip.method !== "REQUEST" || organizer !== from) return;
  const id = newId();
  insertEvent(ctx.tx, {
    id,
    grantId: ctx.state.grantId,
    calendarId: calendar.row.id,
    icalUid: itip.uid,
    masterEventId: null,
    originalStartTime: null,
    ...columnsOf({ ...itip.fields, participants: withOwnAnswer(itip, account, undefined) }),
    sequence: itip.sequence,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await recordEventChange(ctx.tx, ctx.state, "event.created", {
    id,
    calendarId: calendar.row.id,
    masterEventId: null,
  });
}

async function write(
  ctx: CommandContext,
  id: string,
  calendarId: string,
  fields: EventFields,
  sequence: number,
) {
  updateEvent(ctx.tx, ctx.state.grantId, id, { ...columnsOf(fields), sequence, updatedAt: ctx.now });
  await recordEventChange(ctx.tx, ctx.state, "event.updated", { id, calendarId, masterEventId: null });
}
