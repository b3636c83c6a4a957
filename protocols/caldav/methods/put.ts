/**
 * PUT of a calendar object resource (RFC 4791 §5.3.2): text/calendar only, one UID per resource
 * and per calendar, If-Match / If-None-Match honoured (412). Stored through the account's actor.
 */
import { isRefusal, parseCalendarObject } from "../../../src/calendar/calendar-object.ts";
import { bodyText, type DavContext, pathCalendar } from "../context.ts";
import { DavError } from "../errors.ts";
import { objectHref } from "../paths.ts";
import { MAX_RESOURCE_BYTES } from "../properties.ts";
import { CALDAV, escapeXml, propName } from "../xml.ts";

/** 1 to 255 characters, none a control character. */
const validName = (name: string) =>
  name.length >= 1 &&
  name.length <= 255 &&
  ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export async function putMethod(ctx: DavContext): Promise<Response> {
  const { path, request } = ctx;
  if (path.kind !== "object") throw new DavError(405, "PUT stores a calendar object inside a calendar");
  const calendar = pathCalendar(ctx);
  if (!validName(path.name)) throw new DavError(400, "resource names are 1 to 255 printable characters");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "text/calendar")
    throw new DavError(
      415,
      "a calendar object is text/calendar",
      propName(CALDAV, "supported-calendar-data"),
    );
  const text = await bodyText(ctx, MAX_RESOURCE_BYTES, propName(CALDAV, "max-resource-size"));
  const object = parseCalendarObject(text);
  if (isRefusal(object))
    throw new DavError(
      object.refused === "valid-calendar-data" ? 400 : 403,
      object.reason,
      propName(CALDAV, object.refused),
    );
  const ifMatch = request.headers.get("if-match")?.trim();
  const ifNoneMatch = request.headers.get("if-none-match")?.trim();
  const reply = await ctx.deps.mailboxes.ask(ctx.account.grantId, "putCalendarObject", {
    calendarId: calendar.row.id,
    name: path.name,
    object,
    ...(ifMatch && ifMatch !== "*" && { expectedEtag: ifMatch }),
    ...(ifMatch === "*" && { mustExist: true }),
    ...(ifNoneMatch === "*" && { mustNotExist: true }),
  });
  if (reply.outcome === "precondition_failed")
    throw new DavError(412, "the resource's ETag is not the one given (If-Match / If-None-Match)");
  if (reply.outcome === "uid_conflict") {
    const href = objectHref(ctx.account.email, calendar.row.id, reply.name);
    throw new DavError(
      409,
      `UID ${object.uid} belongs to ${href}`,
      propName(CALDAV, "no-uid-conflict"),
      {},
      `<D:href>${escapeXml(href)}</D:href>`,
    );
  }
  return new Response(null, {
    status: reply.outcome === "created" ? 201 : 204,
    headers: { etag: reply.etag },
  });
}
