/**
 * Parse a raw RFC 5322 message once into a MIME tree of byte offsets, so IMAP FETCH and the
 * API can serve any part byte-exact from the stored bytes without parsing again. The tree is
 * plain JSON (no Buffers) so it can be cached next to the message.
 *
 * Tolerant by design: any input gives a tree, never an exception.
 */
import { splitParts } from "./boundaries.ts";
import { type ContentHeaders, readContentHeaders } from "./content-headers.ts";
import { type HeaderField, readHeaderBlock } from "./header-block.ts";

export type { ContentType, Disposition } from "./content-headers.ts";
export type { HeaderField } from "./header-block.ts";

export interface MimeNode extends ContentHeaders {
  /**
   * IMAP part number (RFC 3501 §6.4.5): "" for the top message, "1", "1.2", ... for parts.
   * An encapsulated message (`message` below) carries the number of the part that holds it.
   * A non-multipart message is its own part 1: `<path>.1`, or "1" at the top (see parts.ts).
   */
  path: string;
  headerStart: number;
  /** Just past the header, including the empty line that ends it (when there is one). */
  headerEnd: number;
  bodyStart: number;
  bodyEnd: number;
  headers: HeaderField[];
  /** Parts of a multipart entity, in order. Empty for every other entity. */
  children: MimeNode[];
  /** For message/rfc822: the encapsulated message, spanning this entity's body. */
  message?: MimeNode;
  /** Number of LF bytes in the body (IMAP's line count). */
  lineCount: number;
}

/** Dovecot's limits: deeper or further parts are left unsplit inside their parent. */
const MAX_DEPTH = 100;
const MAX_PARTS = 10_000;

interface Context {
  buf: Buffer;
  parts: number;
}

/** Where an entity sits: its part number, and what kind of entity encloses it. */
interface Place {
  path: string;
  /** A message (the top one or an encapsulated one) rather than a body part of a multipart. */
  isMessage: boolean;
  inDigest: boolean;
  depth: number;
}

export function parseMimeTree(raw: Uint8Array): MimeNode {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return parseEntity({ buf, parts: 1 }, 0, buf.length, {
    path: "",
    isMessage: true,
    inDigest: false,
    depth: 0,
  });
}

function parseEntity(ctx: Context, start: number, end: number, place: Place): MimeNode {
  const { fields, headerEnd } = readHeaderBlock(ctx.buf, start, end);
  const node: MimeNode = {
    path: place.path,
    headerStart: start,
    headerEnd,
    bodyStart: headerEnd,
    bodyEnd: end,
    headers: fields,
    ...readContentHeaders(fields, place.inDigest),
    children: [],
    lineCount: 0,
  };
  const { type, subtype } = node.contentType;
  const mayDescend = place.depth < MAX_DEPTH && ctx.parts < MAX_PARTS;
  if (type === "multipart" && mayDescend) {
    node.children = parseChildren(ctx, node, place.depth + 1);
  } else if (type === "message" && subtype === "rfc822" && mayDescend) {
    ctx.parts++;
    // The encapsulated message takes the number of the part holding it: a non-multipart
    // message is its own part 1, so one directly inside a message is numbered "<path>.1".
    const path = place.isMessage ? childPath(place.path, 1) : place.path;
    const inner = { path, isMessage: true, inDigest: false, depth: place.depth + 1 };
    node.message = parseEntity(ctx, node.bodyStart, node.bodyEnd, inner);
  }
  node.lineCount = bodyLines(ctx.buf, node);
  return node;
}

function parseChildren(ctx: Context, node: MimeNode, depth: number): MimeNode[] {
  const boundary = node.contentType.params.boundary;
  if (!boundary) return [];
  const ranges = splitParts(ctx.buf, node.bodyStart, node.bodyEnd, boundary, MAX_PARTS - ctx.parts);
  ctx.parts += ranges.length;
  const inDigest = node.contentType.subtype === "digest";
  return ranges.map(([start, end], i) => {
    const place = { path: childPath(node.path, i + 1), isMessage: false, inDigest, depth };
    // As Dovecot counts it, a part whose content is a multipart (itself, or the message it
    // holds) keeps the line break after its close delimiter: the one before our next delimiter.
    const lineBreak = holdsMultipart(ctx.buf, start, end, inDigest)
      ? lineBreakAt(ctx.buf, end, node.bodyEnd)
      : 0;
    return parseEntity(ctx, start, end + lineBreak, place);
  });
}

/**
 * Whether the entity at [start, end) is a multipart, or a message/rfc822 holding one, whose last
 * line is its close delimiter: Dovecot gives that line its line break. After an epilogue, or
 * with no close delimiter, the line break stays with the next delimiter (checked against it).
 */
function holdsMultipart(buf: Buffer, start: number, end: number, inDigest: boolean): boolean {
  const outer = readHeaderBlock(buf, start, end);
  let type = readContentHeaders(outer.fields, inDigest).contentType;
  if (type.type === "message" && type.subtype === "rfc822") {
    type = readContentHeaders(readHeaderBlock(buf, outer.headerEnd, end).fields, false).contentType;
  }
  const boundary = type.params.boundary;
  if (type.type !== "multipart" || !boundary) return false;
  const lastLine = buf.lastIndexOf(LF, end - 1) + 1;
  return buf.subarray(Math.max(lastLine, start), end).toString("latin1").startsWith(`--${boundary}--`);
}

/** Length of the line break (CRLF or LF) at `at`, if it lies before `end`; else 0. */
function lineBreakAt(buf: Buffer, at: number, end: number): number {
  if (at < end && buf[at] === LF) return 1;
  if (at + 1 < end && buf[at] === 13 && buf[at + 1] === LF) return 2;
  return 0;
}

function childPath(parent: string, n: number): string {
  return parent === "" ? String(n) : `${parent}.${n}`;
}

/**
 * LF count of a body, from the counts already made for its sub-entities so that every byte
 * is counted once however deep the nesting.
 */
function bodyLines(buf: Buffer, node: MimeNode): number {
  const { message, children } = node;
  if (message) return countLf(buf, message.headerStart, message.headerEnd) + message.lineCount;
  let lines = 0;
  let at = node.bodyStart;
  for (const child of children) {
    lines += countLf(buf, at, child.headerEnd) + child.lineCount;
    at = child.bodyEnd;
  }
  return lines + countLf(buf, at, node.bodyEnd);
}

const LF = 10;

/** indexOf skips long lines natively but costs a call per line, so short lines go byte by byte. */
function countLf(buf: Buffer, start: number, end: number): number {
  const view = buf.subarray(0, end);
  let lines = 0;
  let at = start;
  for (;;) {
    const nl = view.indexOf(LF, at);
    if (nl < 0) return lines;
    lines++;
    const short = nl - at < 32;
    at = nl + 1;
    if (short) break;
  }
  for (let i = at; i < end; i++) if (buf[i] === LF) lines++;
  return lines;
}
