import { columnsOf } from "../../../src/calendar/event-fields.ts";
import { getEvent } from "../../../src/calendar/events.ts";
import {
  deleteEvent as deleteRow,
  insertEvent,
  recordEventChange,
  updateEvent,
} from "../../../src/calendar/writes.ts";
import { MailboxError } from "../../../src/domain/errors.ts";
import { command } from "../command.ts";

export interface DeleteEventCommand {
  calendarId: string;
  eventId: string;
}

/**
 * Deletes an event (a series with its exceptions). One occurrence of a series is cancelled
 * instead: a cancelled exception keeps it from coming back when the series is expanded.
 */
export const deleteEvent = command<DeleteEventCommand, void>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const view = getEvent(tx, state.grantId, cmd.calendarId, cmd.eventId);
  if (!view) throw new MailboxError("not_found", `event ${cmd.eventId} not found`);
  if (view.id !== view.row.id) {
    insertEvent(tx, {
      ...view.row,
      id: view.id,
      masterEventId: view.masterEventId,
      originalStartTime: view.originalStartTime,
      ...columnsOf({ ...view.fields, when: view.when, recurrence: null, status: "cancelled" }),
      sequence: view.row.sequence + 1,
      createdAt: now,
      updatedAt: now,
    });
  } else if (view.masterEventId) {
    updateEvent(tx, state.grantId, view.id, {
      status: "cancelled",
      sequence: view.row.sequence + 1,
      updatedAt: now,
    });
  } else {
    deleteRow(tx, state.grantId, view.id);
  }
  await recordEventChange(tx, state, "event.deleted", {
    id: view.id,
    calendarId: view.row.calendarId,
    masterEventId: view.masterEventId,
  });
});
