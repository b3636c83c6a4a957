/**
 * MKCALENDAR (RFC 4791 §5.3.1): a new calendar of the account under the id its URL names, with
 * the displayname, description, color and time zone the body sets.
 */
import { findCalendarAnywhere } from "../../../src/calendar/calendars.ts";
import { calendarEditOf } from "../calendar-edit.ts";
import { bodyXml, type DavContext, requireOwn } from "../context.ts";
import { DavError } from "../errors.ts";
import { calendarHref } from "../paths.ts";
import { CALDAV, child, DAV, propName } from "../xml.ts";

const ID = /^[A-Za-z0-9._-]{1,100}$/;

export async function mkcalendarMethod(ctx: DavContext): Promise<Response> {
  requireOwn(ctx);
  const { path, account, deps } = ctx;
  if (path.kind !== "calendar")
    throw new DavError(
      403,
      "calendars are made inside the calendar home",
      propName(CALDAV, "calendar-collection-location-ok"),
    );
  if (!ID.test(path.calendarId))
    throw new DavError(
      403,
      "a calendar's id is 1 to 100 letters, digits, '.', '_' or '-'",
      propName(CALDAV, "calendar-collection-location-ok"),
    );
  if (findCalendarAnywhere(deps.store.read, path.calendarId))
    throw new DavError(405, "something exists at this URL already", propName(DAV, "resource-must-be-null"));
  const body = await bodyXml(ctx);
  if (body && (body.ns !== CALDAV || body.name !== "mkcalendar"))
    throw new DavError(400, "the body must be a CALDAV:mkcalendar");
  const props = body ? child(child(body, DAV, "set") ?? body, DAV, "prop") : undefined;
  const { edit, refused } = calendarEditOf(props?.children ?? []);
  if (refused.length > 0) throw new DavError(403, `cannot set ${refused.join(", ")}`);
  await deps.mailboxes.ask(account.grantId, "createCalendar", {
    ...edit,
    name: edit.name ?? path.calendarId,
    id: path.calendarId,
  });
  return new Response(null, {
    status: 201,
    headers: { location: calendarHref(account.email, path.calendarId) },
  });
}
