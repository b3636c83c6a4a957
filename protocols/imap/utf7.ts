/**
 * Modified UTF-7 for IMAP mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself
 * ("&" is "&-"); any other run is "&", the modified base64 ("," for "/", no padding) of its
 * UTF-16BE code units, then "-".
 */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
const B64_VALUE = new Map([...B64].map((ch, i) => [ch, i]));

export function encodeMailboxName(name: string): string {
  let out = "";
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    out += `&${base64Units(run)}-`;
    run = [];
  };
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += code === 0x26 ? "&-" : name[i];
    } else {
      run.push(code);
    }
  }
  flush();
  return out;
}

function base64Units(units: number[]): string {
  const bytes: number[] = [];
  for (const u of units) bytes.push(u >> 8, u & 0xff);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += B64[b0 >> 2];
    out += B64[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += B64[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += B64[b2 & 63];
  }
  return out;
}

/**
 * Decodes a modified UTF-7 name. Returns null when it is not valid modified UTF-7 (an
 * unterminated shift, a bad base64 char, an odd byte count, an encoded printable ASCII char, an
 * unpaired surrogate).
 */
export function decodeMailboxName(name: string): string | null {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    const code = ch.charCodeAt(0);
    if (code > 0x7e) return null;
    if (ch !== "&") {
      out += ch;
      continue;
    }
    const end = name.indexOf("-", i + 1);
    if (end < 0) return null;
    if (end === i + 1) {
      out += "&";
      i = end;
      continue;
    }
    const decoded = decodeRun(name.slice(i + 1, end));
    if (decoded === null) return null;
    out += decoded;
    i = end;
  }
  return out;
}

function decodeRun(run: string): string | null {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of run) {
    const v = B64_VALUE.get(ch);
    if (v === undefined) return null;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero padding, and the bytes whole UTF-16 code units.
  if (bits >= 6 || (value & ((1 << bits) - 1)) !== 0 || bytes.length % 2 !== 0) return null;
  let out = "";
  for (let i = 0; i < bytes.length; i += 2) {
    const unit = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    // Printable ASCII must not be encoded.
    if (unit >= 0x20 && unit <= 0x7e) return null;
    out += String.fromCharCode(unit);
  }
  // UTF-16, so a surrogate only in a pair (a lone one is no character: stored, it became U+FFFD).
  return LONE_SURROGATE.test(out) ? null : out;
}

const LONE_SURROGATE = /\p{Cs}/u;
