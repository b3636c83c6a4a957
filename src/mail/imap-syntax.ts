/**
 * IMAP wire syntax for strings and lists (RFC 3501 §4, §9).
 *
 * Output is a binary string: one char per byte, to be written with `Buffer.from(s, "latin1")`.
 * Inputs are expected to be binary strings too (raw header bytes); a string holding chars
 * above U+00FF is taken as text and sent as its UTF-8 bytes.
 */

/** `"..."` with `"` and `\` escaped. Only valid when `canQuote(s)`. */
export function quoted(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

/** `{n}\r\n` followed by the bytes: the only form for CR, LF and 8-bit data. */
export function literal(s: string): string {
  const bytes = toByteString(s);
  return `{${bytes.length}}\r\n${bytes}`;
}

/** A quoted string can hold any 7-bit char except NUL, CR and LF. */
export function canQuote(s: string): boolean {
  return !/[\0\r\n\x80-\uffff]/.test(s);
}

/** IMAP `string`: quoted when possible, literal otherwise. */
export function imapString(s: string): string {
  return canQuote(s) ? quoted(s) : literal(s);
}

/** IMAP `nstring`: NIL for null/undefined. */
export function nstring(s: string | null | undefined): string {
  return s === null || s === undefined ? "NIL" : imapString(s);
}

/** A parenthesized list of already-encoded items. */
export function list(items: readonly string[]): string {
  return `(${items.join(" ")})`;
}

/** A list of strings, or NIL when there is none (e.g. body-fld-lang, body-fld-param). */
export function nstringList(items: readonly string[] | null | undefined): string {
  return items && items.length > 0 ? list(items.map(imapString)) : "NIL";
}

function toByteString(s: string): string {
  return /[^\0-\xff]/.test(s) ? Buffer.from(s, "utf8").toString("latin1") : s;
}
