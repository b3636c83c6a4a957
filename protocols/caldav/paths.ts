/**
 * Where things are (RFC 4791 §4, RFC 6764): the context path /dav/, an account's principal, its
 * calendar home, a calendar under its id, and an object resource under its name.
 */
export const ROOT = "/dav/";
export const WELL_KNOWN = "/.well-known/caldav";

export type DavPath =
  | { kind: "root" }
  | { kind: "principal"; email: string }
  | { kind: "home"; email: string }
  | { kind: "calendar"; email: string; calendarId: string }
  | { kind: "object"; email: string; calendarId: string; name: string };

const seg = (s: string) => encodeURIComponent(s).replace(/%40/g, "@");

export const principalHref = (email: string) => `${ROOT}principals/${seg(email)}/`;
export const homeHref = (email: string) => `${ROOT}calendars/${seg(email)}/`;
export const calendarHref = (email: string, calendarId: string) => `${homeHref(email)}${seg(calendarId)}/`;
export const objectHref = (email: string, calendarId: string, name: string) =>
  `${calendarHref(email, calendarId)}${seg(name)}`;

/** Is this path CalDAV's (the context path or the well-known name)? */
export const isDavPath = (pathname: string) =>
  pathname === WELL_KNOWN ||
  pathname === `${WELL_KNOWN}/` ||
  pathname === "/dav" ||
  pathname.startsWith(ROOT);

/** The resource a path names, or null when it names none of ours. */
export function parseDavPath(pathname: string): DavPath | null {
  if (pathname === "/dav" || pathname === ROOT) return { kind: "root" };
  const parts = pathname.slice(ROOT.length).split("/");
  const trailing = parts.at(-1) === "";
  if (trailing) parts.pop();
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return null;
  }
  if (decoded.some((p) => p === "" || p === "." || p === ".." || p.includes("/"))) return null;
  const [area, email, calendarId, name, ...rest] = decoded;
  if (rest.length > 0 || !email) return null;
  if (area === "principals") return calendarId === undefined ? { kind: "principal", email } : null;
  if (area !== "calendars") return null;
  if (calendarId === undefined) return { kind: "home", email };
  if (name === undefined) return { kind: "calendar", email, calendarId };
  return trailing ? null : { kind: "object", email, calendarId, name };
}
