/** GET and HEAD of a calendar object resource: its iCalendar text, with its ETag. */
import { calendarObjectText } from "../../../src/calendar/calendar-object.ts";
import { davResource, etagOf } from "../../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar, requireOwn } from "../context.ts";
import { DavError, notFound } from "../errors.ts";

export async function getMethod(ctx: DavContext): Promise<Response> {
  requireOwn(ctx);
  const { path } = ctx;
  if (path.kind !== "object")
    throw new DavError(405, "only calendar object resources have a body", undefined, {
      allow: "OPTIONS, PROPFIND, REPORT",
    });
  const calendar = pathCalendar(ctx);
  const resource = davResource(ctx.deps.store.read, ctx.account.grantId, calendar.row.id, path.name);
  if (!resource) throw notFound(path.name);
  const etag = etagOf(resource.master);
  const headers = {
    etag,
    "content-type": "text/calendar; charset=utf-8",
    "last-modified": new Date(resource.master.updatedAt * 1000).toUTCString(),
  };
  if (
    ctx.request.headers
      .get("if-none-match")
      ?.split(",")
      .some((t) => t.trim() === etag)
  )
    return new Response(null, { status: 304, headers });
  const text = calendarObjectText(resource.master, resource.exceptions);
  return new Response(ctx.request.method === "HEAD" ? null : text, { status: 200, headers });
}
