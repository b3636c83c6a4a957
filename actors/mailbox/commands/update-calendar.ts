import { findCalendar } from "../../../src/calendar/calendars.ts";
import {
  type CalendarEdit,
  recordCalendarChange,
  updateCalendar as updateRow,
} from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { command } from "../command.ts";

export type UpdateCalendarCommand = CalendarEdit & { calendarId: string };

export const updateCalendar = command<UpdateCalendarCommand, void>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const { calendarId, ...edit } = cmd;
  const calendar = findCalendar(tx, state.grantId, calendarId);
  if (!calendar) throw new MailboxError("not_found", `calendar ${calendarId} not found`);
  updateRow(tx, state.grantId, calendar.row.id, edit, now);
  await recordCalendarChange(tx, state, "calendar.updated", {
    id: calendar.row.id,
    name: edit.name ?? calendar.row.name,
  });
});
