/**
 * IMAP `BINARY[section]` contents (RFC 3516): a section with its content transfer encodings
 * undone. A part's body is decoded; a section holding parts (the message, a multipart, an
 * attached message) is the same bytes with each base64 or quoted-printable part decoded and
 * its Content-Transfer-Encoding field saying `binary`, as Dovecot serves it.
 */
import { findField, type HeaderField } from "./header-block.ts";
import type { MimeNode } from "./mime-tree.ts";
import { findPart, isMultipart } from "./parts.ts";
import { fetchSection, type SectionSpec } from "./sections.ts";
import { decodeTransfer } from "./transfer-decode.ts";

export interface BinarySection {
  bytes: Uint8Array;
  /**
   * Whether the content is sent as a literal8 (`~{n}`): a part was decoded (or declared binary),
   * or it holds a NUL. Dovecot's rule.
   */
  literal8: boolean;
}

/** A Content-Transfer-Encoding this server cannot decode: the FETCH answers NO [UNKNOWN-CTE]. */
export class UnknownTransferEncoding extends Error {
  constructor(readonly encoding: string) {
    super(`Unknown Content-Transfer-Encoding ${encoding}`);
    this.name = "UnknownTransferEncoding";
  }
}

const IDENTITY = new Set(["7bit", "8bit"]);
const DECODED = new Set(["base64", "quoted-printable", "binary"]);
const BINARY_FIELD = Buffer.from("Content-Transfer-Encoding: binary");

/**
 * The decoded section, or null when it names no part (answered as an empty string). Header
 * sections (HEADER, MIME, HEADER.FIELDS…) are served as BODY serves them. Throws
 * UnknownTransferEncoding when a part inside the section has an encoding not known here.
 */
export function binarySection(raw: Uint8Array, tree: MimeNode, spec: SectionSpec): BinarySection | null {
  if (spec.text !== "" && spec.text !== "TEXT") {
    const bytes = fetchSection(raw, tree, spec);
    return bytes ? withNul({ chunks: [bytes], converted: false }) : null;
  }
  const node = findPart(tree, spec.part);
  if (!node) return null;
  const out: Output = { chunks: [], converted: false };
  if (spec.text === "TEXT") {
    const message = spec.part === "" ? node : node.message;
    if (!message) return null;
    body(raw, message, out);
  } else if (spec.part === "") entity(raw, node, out);
  else body(raw, node, out);
  return withNul(out);
}

interface Output {
  chunks: Uint8Array[];
  converted: boolean;
}

function withNul(out: Output): BinarySection {
  const bytes = out.chunks.length === 1 ? (out.chunks[0] as Uint8Array) : Buffer.concat(out.chunks);
  return { bytes, literal8: out.converted || bytes.includes(0) };
}

/**
 * An entity (header and body). A decoded part's encoding field goes, and
 * `Content-Transfer-Encoding: binary` ends its header instead (where Dovecot puts it).
 */
function entity(raw: Uint8Array, node: MimeNode, out: Output): void {
  const field = isLeaf(node) && DECODED.has(node.encoding) ? encodingField(node) : undefined;
  if (field) {
    const last = node.headers.at(-1) as HeaderField;
    const lineBreak = lineBreakOf(raw, last.end);
    out.chunks.push(raw.subarray(node.headerStart, field.start), raw.subarray(field.end, last.end));
    if (lineBreak.length === 0) out.chunks.push(CRLF);
    out.chunks.push(BINARY_FIELD, lineBreak.length > 0 ? lineBreak : CRLF);
    out.chunks.push(raw.subarray(last.end, node.headerEnd));
  } else {
    out.chunks.push(raw.subarray(node.headerStart, node.headerEnd));
  }
  body(raw, node, out);
}

function body(raw: Uint8Array, node: MimeNode, out: Output): void {
  if (node.message) {
    out.chunks.push(raw.subarray(node.bodyStart, node.message.headerStart));
    entity(raw, node.message, out);
    out.chunks.push(raw.subarray(node.message.bodyEnd, node.bodyEnd));
    return;
  }
  if (isMultipart(node) && node.children.length > 0) {
    let at = node.bodyStart;
    for (const child of node.children) {
      out.chunks.push(raw.subarray(at, child.headerStart));
      entity(raw, child, out);
      at = child.bodyEnd;
    }
    out.chunks.push(raw.subarray(at, node.bodyEnd));
    return;
  }
  out.chunks.push(leafBody(raw, node, out));
}

function leafBody(raw: Uint8Array, node: MimeNode, out: Output): Uint8Array {
  const bytes = raw.subarray(node.bodyStart, node.bodyEnd);
  if (IDENTITY.has(node.encoding)) return bytes;
  if (!DECODED.has(node.encoding)) throw new UnknownTransferEncoding(node.encoding);
  out.converted = true;
  return decodeTransfer(bytes, node.encoding);
}

function isLeaf(node: MimeNode): boolean {
  return !node.message && !(isMultipart(node) && node.children.length > 0);
}

function encodingField(node: MimeNode) {
  return findField(node.headers, "content-transfer-encoding");
}

const CRLF = Buffer.from("\r\n");
const LF_ONLY = Buffer.from("\n");

/** The rewritten field keeps the line break its original had. */
function lineBreakOf(raw: Uint8Array, fieldEnd: number): Uint8Array {
  if (raw[fieldEnd - 1] !== 0x0a) return Buffer.alloc(0);
  return raw[fieldEnd - 2] === 0x0d ? CRLF : LF_ONLY;
}
