import { findCalendar } from "../../../src/calendar/calendars.ts";
import { davResource, etagOf } from "../../../src/calendar/dav-resources.ts";
import { deleteEvent, recordEventChange } from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { command } from "../command.ts";

export interface DeleteCalendarObjectCommand {
  calendarId: string;
  name: string;
  /** Delete only the resource with this ETag (If-Match). */
  expectedEtag?: string;
}

/** Deletes a calendar object resource (the event, or the series with its exceptions): event.deleted. */
export const deleteCalendarObject = command<
  DeleteCalendarObjectCommand,
  { outcome: "deleted" | "precondition_failed" }
>(async (ctx, cmd) => {
  const { state, tx } = ctx;
  const calendar = findCalendar(tx, state.grantId, cmd.calendarId);
  const resource = calendar && davResource(tx, state.grantId, calendar.row.id, cmd.name);
  if (!calendar || !resource) throw new MailboxError("not_found", `${cmd.name} not found`);
  if (cmd.expectedEtag !== undefined && etagOf(resource.master) !== cmd.expectedEtag)
    return { outcome: "precondition_failed" };
  deleteEvent(tx, state.grantId, resource.master.id);
  await recordEventChange(tx, state, "event.deleted", {
    id: resource.master.id,
    calendarId: calendar.row.id,
    masterEventId: null,
  });
  return { outcome: "deleted" };
});
