import { type CalendarEdit, insertCalendar, recordCalendarChange } from "../../../src/calendar/writes.ts";
import { newId } from "../../../src/ids.ts";
import { command } from "../command.ts";

/** `id` is given when a CalDAV client names the calendar (MKCALENDAR); otherwise one is made. */
export type CreateCalendarCommand = CalendarEdit & { name: string; id?: string };

export const createCalendar = command<CreateCalendarCommand, { id: string }>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const id = cmd.id ?? newId();
  insertCalendar(tx, { ...cmd, grantId: state.grantId, id, now });
  await recordCalendarChange(tx, state, "calendar.created", { id, name: cmd.name });
  return { id };
});
