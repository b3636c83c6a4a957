/**
 * The properties of each kind of resource (RFC 4918 §15, RFC 3744, RFC 4791 §5.2 and §6,
 * RFC 5397, RFC 6578; CS:getctag and A:calendar-color as every client reads them), each as the
 * XML inside its element, computed only when asked.
 */
import type { LoggedInAccount } from "../../src/accounts/password-login.ts";
import { calendarObjectText, expandedObjectText } from "../../src/calendar/calendar-object.ts";
import type { CalendarView } from "../../src/calendar/calendars.ts";
import { type DavResource, etagOf } from "../../src/calendar/dav-resources.ts";
import { calendarHref, homeHref, objectHref, principalHref, ROOT } from "./paths.ts";
import { syncTokenOf } from "./sync-token.ts";
import { APPLE, CALDAV, CALSERVER, DAV, escapeXml, type PropName, propName } from "./xml.ts";

export type Properties = Map<PropName, () => string>;

export interface Target {
  href: string;
  props: Properties;
  /** Returned by allprop (RFC 4918 §9.1: not the expensive ones, such as calendar-data). */
  hidden?: ReadonlySet<PropName>;
}

const D = (name: string) => propName(DAV, name);
const C = (name: string) => propName(CALDAV, name);
const CALENDAR_DATA = C("calendar-data");

const href = (h: string) => `<D:href>${escapeXml(h)}</D:href>`;
const httpDate = (seconds: number) => new Date(seconds * 1000).toUTCString();

const PRIVILEGES = [
  "read",
  "write",
  "write-properties",
  "write-content",
  "bind",
  "unbind",
  "read-current-user-privilege-set",
]
  .map((p) => `<D:privilege><D:${p}/></D:privilege>`)
  .join("");

function common(account: LoggedInAccount): [PropName, () => string][] {
  return [
    [D("current-user-principal"), () => href(principalHref(account.email))],
    [D("principal-collection-set"), () => href(`${ROOT}principals/`)],
    [D("owner"), () => href(principalHref(account.email))],
    [D("current-user-privilege-set"), () => PRIVILEGES],
  ];
}

const REPORTS = ["C:calendar-query", "C:calendar-multiget", "C:free-busy-query", "D:sync-collection"]
  .map((r) => `<D:supported-report><D:report><${r}/></D:report></D:supported-report>`)
  .join("");

export function rootTarget(account: LoggedInAccount, at: string): Target {
  return {
    href: at,
    props: new Map([[D("resourcetype"), () => "<D:collection/>"], ...common(account)]),
  };
}

export function principalTarget(account: LoggedInAccount): Target {
  return {
    href: principalHref(account.email),
    props: new Map([
      [D("resourcetype"), () => "<D:collection/><D:principal/>"],
      [D("displayname"), () => escapeXml(account.email)],
      [D("principal-URL"), () => href(principalHref(account.email))],
      [C("calendar-home-set"), () => href(homeHref(account.email))],
      [C("calendar-user-address-set"), () => href(`mailto:${account.email}`)],
      [C("calendar-user-type"), () => "INDIVIDUAL"],
      ...common(account),
    ]),
  };
}

export function homeTarget(account: LoggedInAccount): Target {
  return {
    href: homeHref(account.email),
    props: new Map([
      [D("resourcetype"), () => "<D:collection/>"],
      [D("displayname"), () => escapeXml(account.email)],
      ...common(account),
    ]),
  };
}

export function calendarTarget(account: LoggedInAccount, calendar: CalendarView): Target {
  const c = calendar.row;
  const token = () => escapeXml(syncTokenOf(c.davSeq));
  const props: [PropName, () => string][] = [
    [D("resourcetype"), () => "<D:collection/><C:calendar/>"],
    [D("displayname"), () => escapeXml(c.name)],
    [C("calendar-description"), () => escapeXml(c.description ?? "")],
    [C("supported-calendar-component-set"), () => '<C:comp name="VEVENT"/>'],
    [C("supported-calendar-data"), () => '<C:calendar-data content-type="text/calendar" version="2.0"/>'],
    [C("max-resource-size"), () => String(MAX_RESOURCE_BYTES)],
    [D("supported-report-set"), () => REPORTS],
    [D("sync-token"), token],
    [propName(CALSERVER, "getctag"), token],
    [D("getetag"), () => `"${c.id}-${c.davSeq}"`],
    [D("getlastmodified"), () => httpDate(c.updatedAt)],
    ...common(account),
  ];
  if (c.hexColor) props.push([propName(APPLE, "calendar-color"), () => escapeXml(c.hexColor ?? "")]);
  if (c.timezone) props.push([propName(APPLE, "calendar-timezone-id"), () => escapeXml(c.timezone ?? "")]);
  return { href: calendarHref(account.email, c.id), props: new Map(props) };
}

/** The largest calendar object a PUT may store. */
export const MAX_RESOURCE_BYTES = 1024 * 1024;

/**
 * A calendar object; `expand` (calendar-data's CALDAV:expand in a REPORT) makes its
 * calendar-data the instances over that window instead of the stored series.
 */
export function objectTarget(
  account: LoggedInAccount,
  calendarId: string,
  resource: DavResource,
  expand?: { from: number; to: number },
): Target {
  let text: string | undefined;
  const stored = () => {
    text ??= calendarObjectText(resource.master, resource.exceptions);
    return text;
  };
  const data = () =>
    expand ? expandedObjectText(resource.master, resource.exceptions, expand.from, expand.to) : stored();
  return {
    href: objectHref(account.email, calendarId, resource.name),
    props: new Map<PropName, () => string>([
      [D("resourcetype"), () => ""],
      [D("getetag"), () => escapeXml(etagOf(resource.master))],
      [D("getcontenttype"), () => "text/calendar; charset=utf-8; component=vevent"],
      [D("getcontentlength"), () => String(Buffer.byteLength(stored()))],
      [D("getlastmodified"), () => httpDate(resource.master.updatedAt)],
      [CALENDAR_DATA, () => escapeXml(data())],
      ...common(account),
    ]),
    hidden: new Set([CALENDAR_DATA]),
  };
}
