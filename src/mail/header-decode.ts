/**
 * Turning raw header bytes into display text: RFC 2047 encoded-words, RFC 2231 extended
 * parameter values, and raw 8-bit (UTF-8 when valid, Latin-1 otherwise).
 */
import iconv from "iconv-lite";
import libmime from "libmime";
import type { Params } from "./header-params.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Text of a binary string (one char per byte): its UTF-8 reading when valid, else Latin-1. */
export function binaryToText(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  try {
    return utf8.decode(Buffer.from(s, "latin1"));
  } catch {
    return s;
  }
}

/** A raw header value with encoded-words decoded. */
export function decodeHeaderText(raw: string): string {
  return libmime.decodeWords(binaryToText(raw));
}

/** An RFC 2231 `charset'language'percent-encoded` value. */
export function decodeExtendedValue(value: string): string {
  const m = /^([^']*)'[^']*'([\s\S]*)$/.exec(value);
  const encoded = m ? (m[2] ?? "") : value;
  const bytes = Buffer.from(
    encoded.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1",
  );
  const charset = m?.[1] || "utf-8";
  return iconv.encodingExists(charset)
    ? iconv.decode(bytes, charset)
    : binaryToText(bytes.toString("latin1"));
}

/** A parameter's display value: `name*` (RFC 2231) over `name`, whose encoded-words are decoded. */
export function decodeParam(params: Params | undefined, name: string): string | undefined {
  if (!params) return undefined;
  const extended = params[`${name}*`];
  if (extended !== undefined) return decodeExtendedValue(extended);
  const plain = params[name];
  return plain === undefined ? undefined : decodeHeaderText(plain);
}
