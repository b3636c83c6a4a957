/** The properties a PROPFIND or a REPORT asks for: DAV:prop's children, allprop or propname. */
import { DavError } from "./errors.ts";
import type { PropRequest } from "./multistatus.ts";
import { utcSeconds } from "./utc-time.ts";
import { CALDAV, child, DAV, nameOf, propName, type XmlElement } from "./xml.ts";

export function propRequestOf(parent: XmlElement | null): PropRequest {
  if (!parent) return { kind: "all" };
  const prop = child(parent, DAV, "prop");
  if (prop) return { kind: "props", names: prop.children.map(nameOf) };
  if (child(parent, DAV, "propname")) return { kind: "names" };
  return { kind: "all" };
}

/** calendar-data's CALDAV:expand window in a REPORT's DAV:prop, if asked (RFC 4791 §9.6.5). */
export function expandOf(parent: XmlElement): { from: number; to: number } | undefined {
  const data = child(child(parent, DAV, "prop") ?? parent, CALDAV, "calendar-data");
  const expand = data && child(data, CALDAV, "expand");
  if (!expand) return undefined;
  const from = utcSeconds(expand.attrs.start ?? "");
  const to = utcSeconds(expand.attrs.end ?? "");
  if (from === null || to === null || to <= from)
    throw new DavError(
      400,
      "expand needs start and end, UTC date-times, start before end",
      propName(CALDAV, "valid-calendar-data"),
    );
  return { from, to };
}
