import { columnsOf, type EventFields } from "../../../src/calendar/event-fields.ts";
import { getEvent } from "../../../src/calendar/events.ts";
import { insertEvent, recordEventChange, updateEvent as updateRow } from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { command } from "../command.ts";

export interface UpdateEventCommand {
  calendarId: string;
  eventId: string;
  change: Partial<EventFields>;
  /** An attendee's own answer (send-rsvp) is not the organizer's change: SEQUENCE stays. */
  keepSequence?: boolean;
}

/**
 * Changes an event (its SEQUENCE moves); a change to one occurrence of a series stores that
 * occurrence as an exception under the occurrence's id, the rest of the series unchanged.
 */
export const updateEvent = command<UpdateEventCommand, { id: string }>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const view = getEvent(tx, state.grantId, cmd.calendarId, cmd.eventId);
  if (!view) throw new MailboxError("not_found", `event ${cmd.eventId} not found`);
  const occurrence = view.id !== view.row.id;
  const sequence = view.row.sequence + (cmd.keepSequence ? 0 : 1);
  const fields: EventFields = {
    ...view.fields,
    ...(occurrence && { when: view.when, recurrence: null }),
    ...cmd.change,
  };
  if (occurrence) {
    insertEvent(tx, {
      ...view.row,
      id: view.id,
      masterEventId: view.masterEventId,
      originalStartTime: view.originalStartTime,
      ...columnsOf(fields),
      sequence,
      createdAt: now,
      updatedAt: now,
    });
  } else {
    updateRow(tx, state.grantId, view.row.id, {
      ...columnsOf(fields),
      sequence,
      updatedAt: now,
    });
  }
  await recordEventChange(tx, state, "event.updated", {
    id: view.id,
    calendarId: view.row.calendarId,
    masterEventId: view.masterEventId,
  });
  return { id: view.id };
});
