/**
 * Splitting an RFC 5322 header block into fields, over bytes. Line endings may be CRLF, LF
 * or mixed. The block ends at the first empty line (which it includes) or at the end of
 * the entity when there is none.
 */
import { trimWsp } from "./header-params.ts";

export interface HeaderField {
  /** Field name as written, without the colon; "" for a line that is not a valid field. */
  name: string;
  /** Unfolded raw value as a binary string (one char per byte), outer whitespace trimmed. */
  value: string;
  /** Absolute byte range of the field's lines, continuation lines and final line break included. */
  start: number;
  end: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset just past the empty line that ends the header, or the entity's end if there is none. */
  headerEnd: number;
}

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;

export function readHeaderBlock(buf: Buffer, start: number, end: number): HeaderBlock {
  const view = buf.subarray(0, end); // so indexOf never runs past this entity
  const fields: HeaderField[] = [];
  let fieldStart = -1;
  let pos = start;
  while (pos < end) {
    const nl = view.indexOf(LF, pos);
    const lineEnd = nl < 0 ? end : nl + 1;
    const isEmpty = nl === pos || (nl === pos + 1 && view[pos] === CR);
    if (isEmpty) {
      if (fieldStart >= 0) fields.push(toField(buf, fieldStart, pos));
      return { fields, headerEnd: lineEnd };
    }
    const first = view[pos];
    const continues = (first === SP || first === HT) && fieldStart >= 0;
    if (!continues) {
      if (fieldStart >= 0) fields.push(toField(buf, fieldStart, pos));
      fieldStart = pos;
    }
    pos = lineEnd;
  }
  if (fieldStart >= 0) fields.push(toField(buf, fieldStart, end));
  return { fields, headerEnd: end };
}

const FIELD_NAME = /^[!-9;-~]+$/;

function toField(buf: Buffer, start: number, end: number): HeaderField {
  const text = buf.toString("latin1", start, end);
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).replace(/[ \t]+$/, "") : "";
  if (!FIELD_NAME.test(name)) return { name: "", value: unfold(text), start, end };
  return { name, value: unfold(text.slice(colon + 1)), start, end };
}

function unfold(s: string): string {
  return trimWsp(s.replace(/\r?\n/g, ""));
}

/** The first field named `name` (case-insensitive). */
export function findField(fields: readonly HeaderField[], name: string): HeaderField | undefined {
  const wanted = name.toLowerCase();
  return fields.find((f) => f.name.length === wanted.length && f.name.toLowerCase() === wanted);
}

/** The unfolded value of the first field named `name`, if present. */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  return findField(fields, name)?.value;
}
