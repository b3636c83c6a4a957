/** REPORT calendar-query (RFC 4791 §7.8): the calendar's objects the filter matches. */
import { davResources } from "../../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar } from "../context.ts";
import { compileFilter } from "../filter.ts";
import { multistatus, propResponse } from "../multistatus.ts";
import { expandOf, propRequestOf } from "../prop-request.ts";
import { objectTarget } from "../properties.ts";
import { CALDAV, child, type XmlElement } from "../xml.ts";

export async function calendarQuery(ctx: DavContext, body: XmlElement): Promise<Response> {
  const calendar = pathCalendar(ctx);
  const matches = compileFilter(child(body, CALDAV, "filter"));
  const request = propRequestOf(body);
  const expand = expandOf(body);
  const resources = davResources(ctx.deps.store.read, ctx.account.grantId, calendar.row.id).filter(matches);
  return multistatus(
    resources.map((r) => propResponse(objectTarget(ctx.account, calendar.row.id, r, expand), request)),
  );
}
