/**
 * WebDAV XML (RFC 4918 §8.1): request bodies parsed with fast-xml-parser into elements named by
 * namespace URI and local name (the parser keeps prefixes; the declarations in scope resolve
 * them here), and the answer's XML written as text with every value escaped.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export const DAV = "DAV:";
export const CALDAV = "urn:ietf:params:xml:ns:caldav";
export const CALSERVER = "http://calendarserver.org/ns/";
export const APPLE = "http://apple.com/ns/ical/";

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A property's name as `{namespace}local`, the notation of RFC 4918's examples. */
export type PropName = `{${string}}${string}`;
export const propName = (ns: string, name: string): PropName => `{${ns}}${name}`;
export const nameOf = (e: Pick<XmlElement, "ns" | "name">): PropName => propName(e.ns, e.name);

export class XmlError extends Error {}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

type Ordered = Record<string, unknown> & { ":@"?: Record<string, string> };

/** The document element of `text`; a DOCTYPE (entity definitions) is refused outright. */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE/i.test(text)) throw new XmlError("DOCTYPE is not accepted");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg}`);
  const nodes = parser.parse(text) as Ordered[];
  const root = nodes.map((n) => toElement(n, new Map())).find((e) => e !== null);
  if (!root) throw new XmlError("no document element");
  return root;
}

function toElement(node: Ordered, scope: Map<string, string>): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ":@");
  if (!tag || tag === "#text" || tag.startsWith("?") || tag === "#comment") return null;
  const attrs = node[":@"] ?? {};
  const inner = new Map(scope);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "xmlns") inner.set("", value);
    else if (key.startsWith("xmlns:")) inner.set(key.slice(6), value);
  }
  const colon = tag.indexOf(":");
  const prefix = colon < 0 ? "" : tag.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== "") throw new XmlError(`undeclared namespace prefix ${prefix}`);
  const content = (node[tag] as Ordered[]) ?? [];
  const children: XmlElement[] = [];
  let text = "";
  for (const child of content) {
    if ("#text" in child) text += String(child["#text"]);
    else {
      const element = toElement(child, inner);
      if (element) children.push(element);
    }
  }
  return { ns: ns ?? "", name: colon < 0 ? tag : tag.slice(colon + 1), attrs, children, text };
}

export const child = (e: XmlElement, ns: string, name: string) =>
  e.children.find((c) => c.ns === ns && c.name === name);
export const childrenNamed = (e: XmlElement, ns: string, name: string) =>
  e.children.filter((c) => c.ns === ns && c.name === name);

export function escapeXml(value: string): string {
  return value.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PREFIXES: Record<string, string> = { [DAV]: "D", [CALDAV]: "C", [CALSERVER]: "CS", [APPLE]: "A" };
const NAMESPACE_DECLARATIONS = Object.entries(PREFIXES)
  .map(([ns, prefix]) => ` xmlns:${prefix}="${ns}"`)
  .join("");

/** An element of `name` with `inner` (already XML), empty when `inner` is "". */
export function element(name: PropName, inner = ""): string {
  const close = name.indexOf("}");
  const ns = name.slice(1, close);
  const local = name.slice(close + 1);
  const prefix = PREFIXES[ns];
  const tag = prefix ? `${prefix}:${local}` : `x:${local}`;
  const declare = prefix ? "" : ` xmlns:x="${escapeXml(ns)}"`;
  return inner === "" ? `<${tag}${declare}/>` : `<${tag}${declare}>${inner}</${tag}>`;
}

/** A whole document whose root is `root` with the usual prefixes declared on it. */
export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}${NAMESPACE_DECLARATIONS}>${inner}</${root}>`;
}
