import { decodePart } from "./attachments.ts";
import type { MimeNode } from "./mime-tree.ts";

/** Larger calendar parts are not read (an invitation is a few kilobytes). */
const MAX_CALENDAR_BYTES = 256 * 1024;

/**
 * The iCalendar text a message carries for the calendar (iMIP, RFC 6047): its first
 * `text/calendar` part, else its first `application/ics` one (some clients attach the
 * invitation that way), decoded; null when it has none. Encapsulated messages are not searched:
 * a forwarded invitation is not one to this account.
 */
export function calendarPart(raw: Uint8Array, tree: MimeNode): string | null {
  const found = find(tree, "text/calendar") ?? find(tree, "application/ics");
  if (!found || found.bodyEnd - found.bodyStart > MAX_CALENDAR_BYTES * 2) return null;
  return new TextDecoder().decode(decodePart(raw, found));
}

function find(node: MimeNode, type: string): MimeNode | null {
  if (`${node.contentType.type}/${node.contentType.subtype}` === type) return node;
  for (const child of node.children) {
    const hit = find(child, type);
    if (hit) return hit;
  }
  return null;
}
