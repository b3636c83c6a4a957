/** REPORT (RFC 3253 §3.6): calendar-query, calendar-multiget, sync-collection and free-busy-query on a calendar. */
import { bodyXml, type DavContext } from "../context.ts";
import { DavError } from "../errors.ts";
import { CALDAV, DAV, propName } from "../xml.ts";
import { calendarMultiget } from "./report-calendar-multiget.ts";
import { calendarQuery } from "./report-calendar-query.ts";
import { freeBusyQuery } from "./report-free-busy-query.ts";
import { syncCollection } from "./report-sync-collection.ts";

export async function reportMethod(ctx: DavContext): Promise<Response> {
  const body = await bodyXml(ctx);
  if (!body) throw new DavError(400, "REPORT needs a body");
  const unsupported = () =>
    new DavError(403, `${body.name} is not a supported report here`, propName(DAV, "supported-report"));
  if (ctx.path.kind !== "calendar") throw unsupported();
  if (body.ns === CALDAV && body.name === "calendar-query") return calendarQuery(ctx, body);
  if (body.ns === CALDAV && body.name === "calendar-multiget") return calendarMultiget(ctx, body);
  if (body.ns === DAV && body.name === "sync-collection") return syncCollection(ctx, body);
  if (body.ns === CALDAV && body.name === "free-busy-query") return freeBusyQuery(ctx, body);
  throw unsupported();
}
