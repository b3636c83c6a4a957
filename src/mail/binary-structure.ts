/**
 * BODYPARTSTRUCTURE beside BINARY in URLFETCH (RFC 5524), as Dovecot answers it: the structure of
 * the part as BINARY delivers it, so each part's size and line count are those of its decoded
 * content (its other fields, the encoding included, are the stored part's).
 */
import { binarySection } from "./binary-sections.ts";
import { type BodyStructure, buildBodyStructure } from "./bodystructure.ts";
import type { MimeNode } from "./mime-tree.ts";

export function binaryBodyStructure(raw: Uint8Array, node: MimeNode): BodyStructure {
  return decodedSizes(raw, node, buildBodyStructure(node));
}

function decodedSizes(raw: Uint8Array, node: MimeNode, structure: BodyStructure): BodyStructure {
  if ("parts" in structure) {
    structure.parts = structure.parts.map((part, i) => {
      const child = node.children[i];
      return child ? decodedSizes(raw, child, part) : part;
    });
    return structure;
  }
  // The node's own body, decoded as BINARY[TEXT] of it would be.
  const body = binarySection(raw, node, { part: "", text: "TEXT", fields: [] })?.bytes ?? new Uint8Array();
  structure.size = body.length;
  if (structure.lines !== undefined) structure.lines = lineFeeds(body);
  if (structure.body && node.message) structure.body = decodedSizes(raw, node.message, structure.body);
  return structure;
}

function lineFeeds(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return n;
}
