/** The resources a path names, with their members to the depth asked (PROPFIND Depth 0 or 1). */
import { listCalendars } from "../../src/calendar/calendars.ts";
import { davResource, davResources } from "../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar, requireOwn } from "./context.ts";
import { notFound } from "./errors.ts";
import {
  calendarTarget,
  homeTarget,
  objectTarget,
  principalTarget,
  rootTarget,
  type Target,
} from "./properties.ts";

export function targetsOf(ctx: DavContext, depth: 0 | 1): Target[] {
  const { account, path, deps } = ctx;
  requireOwn(ctx);
  switch (path.kind) {
    case "root":
      return [
        rootTarget(account, ctx.url.pathname),
        ...(depth ? [principalTarget(account), homeTarget(account)] : []),
      ];
    case "principal":
      return [principalTarget(account)];
    case "home": {
      const calendars = depth ? listCalendars(deps.store, account.grantId) : [];
      return [homeTarget(account), ...calendars.map((c) => calendarTarget(account, c))];
    }
    case "calendar": {
      const calendar = pathCalendar(ctx);
      const members = depth ? davResources(deps.store.read, account.grantId, calendar.row.id) : [];
      return [
        calendarTarget(account, calendar),
        ...members.map((r) => objectTarget(account, calendar.row.id, r)),
      ];
    }
    case "object": {
      const calendar = pathCalendar(ctx);
      const resource = davResource(deps.store.read, account.grantId, calendar.row.id, path.name);
      if (!resource) throw notFound(path.name);
      return [objectTarget(account, calendar.row.id, resource)];
    }
  }
}
