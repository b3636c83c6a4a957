/**
 * REPORT free-busy-query (RFC 4791 §7.10): the calendar's busy time in a window, as one
 * VFREEBUSY (text/calendar, 200): events marked busy and not cancelled, series expanded, each
 * FREEBUSY period clipped to the window; TENTATIVE ones as BUSY-TENTATIVE.
 */
import ICAL from "ical.js";
import { davResources, instancesIn } from "../../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar } from "../context.ts";
import { DavError } from "../errors.ts";
import { utcSeconds } from "../utc-time.ts";
import { CALDAV, child, propName, type XmlElement } from "../xml.ts";

export async function freeBusyQuery(ctx: DavContext, body: XmlElement): Promise<Response> {
  const calendar = pathCalendar(ctx);
  const range = child(body, CALDAV, "time-range");
  const from = utcSeconds(range?.attrs.start ?? "");
  const to = utcSeconds(range?.attrs.end ?? "");
  if (from === null || to === null || to <= from)
    throw new DavError(
      400,
      "free-busy-query needs a time-range with start and end, UTC",
      propName(CALDAV, "valid-filter"),
    );
  const periods: { start: number; end: number; tentative: boolean }[] = [];
  for (const resource of davResources(ctx.deps.store.read, ctx.account.grantId, calendar.row.id)) {
    for (const i of instancesIn(resource, from, to)) {
      if (!i.row.busy || i.end <= i.start) continue;
      periods.push({
        start: Math.max(i.start, from),
        end: Math.min(i.end, to),
        tentative: i.row.status === "tentative",
      });
    }
  }
  const vcalendar = new ICAL.Component("vcalendar");
  vcalendar.addPropertyWithValue("prodid", "-//agentbox//calendar//EN");
  vcalendar.addPropertyWithValue("version", "2.0");
  const vfreebusy = new ICAL.Component("vfreebusy");
  const utc = (s: number) => ICAL.Time.fromJSDate(new Date(s * 1000), true);
  vfreebusy.addPropertyWithValue("dtstamp", utc(Math.floor(Date.now() / 1000)));
  vfreebusy.addPropertyWithValue("dtstart", utc(from));
  vfreebusy.addPropertyWithValue("dtend", utc(to));
  for (const p of periods.sort((a, b) => a.start - b.start)) {
    const prop = new ICAL.Property("freebusy");
    prop.setValue(ICAL.Period.fromData({ start: utc(p.start), end: utc(p.end) }));
    if (p.tentative) prop.setParameter("fbtype", "BUSY-TENTATIVE");
    vfreebusy.addProperty(prop);
  }
  vcalendar.addSubcomponent(vfreebusy);
  return new Response(`${vcalendar.toString().replace(/\r?\n/g, "\r\n")}\r\n`, {
    status: 200,
    headers: { "content-type": "text/calendar; charset=utf-8" },
  });
}
