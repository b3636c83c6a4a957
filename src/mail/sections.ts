/**
 * IMAP `BODY[section]` contents (RFC 3501 §6.4.5), served byte-exact from the stored message
 * and its MIME tree. The partial suffix `<start.length>` is the caller's, via `partial`.
 */
import type { MimeNode } from "./mime-tree.ts";
import { findPart } from "./parts.ts";

export type SectionText = "" | "HEADER" | "HEADER.FIELDS" | "HEADER.FIELDS.NOT" | "TEXT" | "MIME";

export interface SectionSpec {
  /** Part number, "" for the message itself. */
  part: string;
  text: SectionText;
  /** Upper-cased field names for HEADER.FIELDS and HEADER.FIELDS.NOT. */
  fields: string[];
}

const PART = /^[1-9]\d*(?:\.[1-9]\d*)*/;
const FIELDS = /^(HEADER\.FIELDS(?:\.NOT)?)\s*\((.*)\)$/i;
const TEXTS = new Set<string>(["", "HEADER", "TEXT", "MIME"]);

/** Parses the text between the brackets of `BODY[...]`, e.g. `1.2.HEADER.FIELDS (From "To")`. */
export function parseSectionSpec(spec: string): SectionSpec | null {
  const trimmed = spec.trim();
  const part = PART.exec(trimmed)?.[0] ?? "";
  let rest = trimmed.slice(part.length);
  if (part !== "" && rest !== "") {
    if (!rest.startsWith(".") || rest.length === 1) return null;
    rest = rest.slice(1);
  }
  const fields = FIELDS.exec(rest);
  if (fields) {
    const names = fieldNames(fields[2] ?? "");
    const text = (fields[1] ?? "").toUpperCase() as SectionText;
    return names.length > 0 ? { part, text, fields: names } : null;
  }
  const text = rest.toUpperCase();
  if (!TEXTS.has(text) || (text === "MIME" && part === "")) return null;
  return { part, text: text as SectionText, fields: [] };
}

function fieldNames(listText: string): string[] {
  return (listText.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? []).map((name) =>
    (name.startsWith('"') ? name.slice(1, -1).replace(/\\(.)/g, "$1") : name).toUpperCase(),
  );
}

/**
 * The bytes of a section, or null when the spec is invalid or names no part (the caller then
 * answers an empty string or NIL). Contiguous sections are views into `raw`, not copies.
 */
export function fetchSection(raw: Uint8Array, tree: MimeNode, spec: string | SectionSpec): Uint8Array | null {
  const section = typeof spec === "string" ? parseSectionSpec(spec) : spec;
  if (!section) return null;
  const node = findPart(tree, section.part);
  if (!node) return null;
  if (section.text === "") return section.part === "" ? raw : raw.subarray(node.bodyStart, node.bodyEnd);
  if (section.text === "MIME") return raw.subarray(node.headerStart, node.headerEnd);
  // HEADER, TEXT and HEADER.FIELDS address a message: the top one, or a message/rfc822 part's.
  const message = section.part === "" ? node : node.message;
  if (!message) return null;
  if (section.text === "TEXT") return raw.subarray(message.bodyStart, message.bodyEnd);
  if (section.text === "HEADER") return raw.subarray(message.headerStart, message.headerEnd);
  return headerFields(raw, message, new Set(section.fields), section.text === "HEADER.FIELDS");
}

const CRLF = Buffer.from("\r\n");

/**
 * The matching (or, with `keep` false, the other) fields in their original form, then the empty
 * line. HEADER.FIELDS, as Dovecot answers it, ends each field with a line break and the section
 * with an empty line even when the message has none (a header-only message); .NOT keeps the bytes.
 */
function headerFields(raw: Uint8Array, message: MimeNode, names: Set<string>, keep: boolean): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const field of message.headers) {
    if (field.name !== "" && names.has(field.name.toUpperCase()) === keep) {
      chunks.push(raw.subarray(field.start, field.end));
      if (keep && raw[field.end - 1] !== 0x0a) chunks.push(CRLF);
    }
  }
  const lastField = message.headers.at(-1);
  const blank = raw.subarray(lastField ? lastField.end : message.headerStart, message.headerEnd);
  chunks.push(blank.length > 0 || !keep ? blank : CRLF);
  return Buffer.concat(chunks);
}

/** `<start.length>` of a section: clamped, empty when `start` is past the end. */
export function partial(bytes: Uint8Array, start: number, length?: number): Uint8Array {
  const from = Math.min(Math.max(0, start), bytes.length);
  const to = length === undefined ? bytes.length : Math.min(bytes.length, from + Math.max(0, length));
  return bytes.subarray(from, to);
}
