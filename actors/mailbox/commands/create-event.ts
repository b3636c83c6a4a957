import { findCalendar } from "../../../src/calendar/calendars.ts";
import { columnsOf, type EventFields } from "../../../src/calendar/event-fields.ts";
import { insertEvent, recordEventChange } from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { newId } from "../../../src/ids.ts";
import { command } from "../command.ts";

export interface CreateEventCommand {
  calendarId: string;
  fields: EventFields;
  /** The iCalendar UID; one is made under the event's id when not given. */
  icalUid?: string;
}

export const createEvent = command<CreateEventCommand, { id: string }>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const calendar = findCalendar(tx, state.grantId, cmd.calendarId);
  if (!calendar) throw new MailboxError("not_found", `calendar ${cmd.calendarId} not found`);
  const id = newId();
  insertEvent(tx, {
    id,
    grantId: state.grantId,
    calendarId: calendar.row.id,
    icalUid: cmd.icalUid ?? `${id}@agentbox`,
    masterEventId: null,
    originalStartTime: null,
    ...columnsOf(cmd.fields),
    sequence: 0,
    createdAt: now,
    updatedAt: now,
  });
  await recordEventChange(tx, state, "event.created", {
    id,
    calendarId: calendar.row.id,
    masterEventId: null,
  });
  return { id };
});
