/** REPORT calendar-multiget (RFC 4791 §7.9): the objects named by href; a missing one is a 404 response. */
import { davResources } from "../../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar } from "../context.ts";
import { multistatus, propResponse, statusResponse } from "../multistatus.ts";
import { parseDavPath } from "../paths.ts";
import { expandOf, propRequestOf } from "../prop-request.ts";
import { objectTarget } from "../properties.ts";
import { childrenNamed, DAV, type XmlElement } from "../xml.ts";

export async function calendarMultiget(ctx: DavContext, body: XmlElement): Promise<Response> {
  const calendar = pathCalendar(ctx);
  const request = propRequestOf(body);
  const expand = expandOf(body);
  const hrefs = childrenNamed(body, DAV, "href").map((h) => h.text.trim());
  const names = new Map<string, string>();
  for (const href of hrefs) {
    let path: ReturnType<typeof parseDavPath> = null;
    try {
      path = parseDavPath(new URL(href, ctx.url).pathname);
    } catch {}
    if (
      path?.kind === "object" &&
      path.calendarId === calendar.row.id &&
      path.email.toLowerCase() === ctx.account.email.toLowerCase()
    )
      names.set(href, path.name);
  }
  const found = new Map(
    davResources(ctx.deps.store.read, ctx.account.grantId, calendar.row.id, [...new Set(names.values())]).map(
      (r) => [r.name, r],
    ),
  );
  return multistatus(
    hrefs.map((href) => {
      const resource = found.get(names.get(href) ?? "");
      return resource
        ? propResponse(objectTarget(ctx.account, calendar.row.id, resource, expand), request)
        : statusResponse(href, 404);
    }),
  );
}
