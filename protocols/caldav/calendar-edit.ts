/** The calendar properties a client may set (MKCALENDAR, PROPPATCH), as a calendar edit. */

import type { CalendarEdit } from "../../src/calendar/writes.ts";
import { isTimeZone } from "../../src/calendar/zone.ts";
import { APPLE, CALDAV, DAV, nameOf, type PropName, propName, type XmlElement } from "./xml.ts";

const DISPLAYNAME = propName(DAV, "displayname");
const DESCRIPTION = propName(CALDAV, "calendar-description");
const COLOR = propName(APPLE, "calendar-color");
const ZONE_ID = propName(APPLE, "calendar-timezone-id");
const ORDER = propName(APPLE, "calendar-order");
const COMPONENTS = propName(CALDAV, "supported-calendar-component-set");

export function calendarEditOf(props: readonly XmlElement[]): {
  edit: CalendarEdit & { name?: string };
  refused: PropName[];
} {
  const edit: CalendarEdit & { name?: string } = {};
  const refused: PropName[] = [];
  for (const p of props) {
    const name = nameOf(p);
    const text = p.text.trim();
    if (name === DISPLAYNAME) {
      if (text === "" || text.length > 1024) refused.push(name);
      else edit.name = text;
    } else if (name === DESCRIPTION) edit.description = text === "" ? null : text.slice(0, 8192);
    else if (name === COLOR) {
      if (text.length > 32) refused.push(name);
      else edit.hexColor = text === "" ? null : text;
    } else if (name === ZONE_ID) {
      if (text !== "" && !isTimeZone(text)) refused.push(name);
      else edit.timezone = text === "" ? null : text;
    } else if (name === ORDER) {
      // Apple Calendar's ordering of calendars is the client's own: accepted, not kept.
    } else if (name === COMPONENTS) {
      const comps = p.children.map((c) => String(c.attrs.name ?? "").toUpperCase());
      if (comps.some((c) => c !== "VEVENT")) refused.push(name);
    } else refused.push(name);
  }
  return { edit, refused };
}
