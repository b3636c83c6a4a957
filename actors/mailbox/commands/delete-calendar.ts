import { findCalendar } from "../../../src/calendar/calendars.ts";
import { deleteCalendar as deleteRow, recordCalendarChange } from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { command } from "../command.ts";

export interface DeleteCalendarCommand {
  calendarId: string;
}

/** Deletes a calendar and its events; the primary calendar stays. */
export const deleteCalendar = command<DeleteCalendarCommand, void>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const calendar = findCalendar(tx, state.grantId, cmd.calendarId);
  if (!calendar) throw new MailboxError("not_found", `calendar ${cmd.calendarId} not found`);
  if (calendar.row.isPrimary) throw new MailboxError("invalid", "the primary calendar cannot be deleted");
  deleteRow(tx, state.grantId, calendar.row.id);
  await recordCalendarChange(tx, state, "calendar.deleted", calendar.row);
});
