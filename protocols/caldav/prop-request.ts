/** The properties a PROPFIND or a REPORT asks for: DAV:prop's children, allprop or propname. */
import type { PropRequest } from "./multistatus.ts";
import { child, DAV, nameOf, type XmlElement } from "./xml.ts";

export function propRequestOf(parent: XmlElement | null): PropRequest {
  if (!parent) return { kind: "all" };
  const prop = child(parent, DAV, "prop");
  if (prop) return { kind: "props", names: prop.children.map(nameOf) };
  if (child(parent, DAV, "propname")) return { kind: "names" };
  return { kind: "all" };
}
