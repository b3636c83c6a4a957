/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6) over bytes, tolerant of damaged input.
 */

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUE[BASE64_ALPHABET.charCodeAt(i)] = i;

const EQUALS = 61;
const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;

/** Decodes the bytes of a body part according to its (lower-cased) transfer encoding. */
export function decodeTransfer(bytes: Uint8Array, encoding: string): Uint8Array {
  if (encoding === "base64") return decodeBase64(bytes);
  if (encoding === "quoted-printable") return decodeQuotedPrintable(bytes);
  return bytes; // 7bit, 8bit, binary and unknown encodings are the bytes themselves
}

/**
 * Base64 that skips every byte outside the alphabet (line breaks, garbage). `=` ends a
 * quantum, so concatenated padded chunks decode as they were meant; a lone trailing sextet
 * carries no whole byte and is dropped.
 */
export function decodeBase64(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((src.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const byte = src[i] ?? 0;
    const value = BASE64_VALUE[byte] ?? -1;
    if (value >= 0) {
      acc = (acc << 6) | value;
      if (++n === 4) {
        out[o++] = acc >> 16;
        out[o++] = (acc >> 8) & 0xff;
        out[o++] = acc & 0xff;
        acc = 0;
        n = 0;
      }
    } else if (byte === EQUALS && n > 0) {
      o = flushQuantum(out, o, acc, n);
      acc = 0;
      n = 0;
    }
  }
  return out.subarray(0, flushQuantum(out, o, acc, n));
}

/** Writes the whole bytes held by a partial quantum of `n` sextets; returns the new length. */
function flushQuantum(out: Uint8Array, o: number, acc: number, n: number): number {
  if (n === 2) out[o++] = acc >> 4;
  if (n === 3) {
    out[o++] = acc >> 10;
    out[o++] = (acc >> 2) & 0xff;
  }
  return o;
}

/**
 * Quoted-printable: `=XX` (either case), soft line breaks `=` + optional padding + line break,
 * and trailing whitespace on a line removed as RFC 2045 §6.7 (3) requires. A malformed `=`
 * is kept as is. Hard line breaks are kept as they are stored.
 */
export function decodeQuotedPrintable(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  let o = 0;
  let i = 0;
  while (i < src.length) {
    const byte = src[i] ?? 0;
    if (byte === EQUALS) {
      const hex = (hexValue(src[i + 1]) << 4) | hexValue(src[i + 2]);
      if (hex >= 0) {
        out[o++] = hex;
        i += 3;
        continue;
      }
      const afterBreak = lineBreakAfterSpaces(src, i + 1);
      if (afterBreak >= 0) {
        i = afterBreak; // soft line break
        continue;
      }
      out[o++] = byte;
      i++;
    } else if (byte === SP || byte === HT) {
      let end = i;
      while (src[end] === SP || src[end] === HT) end++;
      if (lineBreakAfterSpaces(src, end) < 0) {
        out.set(src.subarray(i, end), o);
        o += end - i;
      }
      i = end;
    } else {
      out[o++] = byte;
      i++;
    }
  }
  return out.subarray(0, o);
}

/** Negative when either digit is not hex, so `(hi << 4) | lo` is negative too. */
function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -256;
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -256;
}

/**
 * If only SP/HT stand between `from` and a line break or the end of data, the offset just
 * past that line break (or the end); otherwise -1.
 */
function lineBreakAfterSpaces(src: Uint8Array, from: number): number {
  let i = from;
  while (src[i] === SP || src[i] === HT) i++;
  if (i >= src.length) return src.length;
  if (src[i] === LF) return i + 1;
  if (src[i] === CR && src[i + 1] === LF) return i + 2;
  return -1;
}
