/**
 * DKIM signing (RFC 6376): rsa-sha256, relaxed/relaxed. Our own, rather than mailauth's, because
 * mailauth lists each present field once: a relay could then add a second Subject or Date, or a
 * Reply-To the message lacked, and the signature still verified. Here the fields a reader sees as
 * the message's identity are signed once more than they occur (§8.15 "over-signing"): an added
 * copy, or one the message lacked, breaks the signature. Pure and linear in the message's size.
 */
import { createHash, createSign } from "node:crypto";
import { type HeaderField, readHeaderBlock } from "../../mail/header-block.ts";

export interface DkimKey {
  /** d=: the sending domain. */
  domain: string;
  /** s=: the selector published at `<selector>._domainkey.<domain>`. */
  selector: string;
  privateKeyPem: string;
}

/** Signed once more than they occur: nobody may add one. */
export const OVERSIGNED_FIELDS = ["from", "to", "cc", "subject", "date", "reply-to", "message-id"];

/** Signed as they occur (a mailing list may add a Sender or List-* fields and keep the signature). */
const SIGNED_FIELDS = [
  "sender",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "in-reply-to",
  "references",
  "list-unsubscribe",
  "list-unsubscribe-post",
];

/** The DKIM-Signature field for `raw`, folded and CRLF-terminated, to prepend to it. */
export function dkimSignatureField(raw: Uint8Array, key: DkimKey, now = new Date()): string {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const { fields, headerEnd } = readHeaderBlock(buf, 0, buf.length);
  const bodyHash = createHash("sha256")
    .update(relaxedBody(buf.toString("latin1", headerEnd)), "latin1")
    .digest("base64");
  const { names, signed } = signedInstances(buf, fields);
  const unsigned =
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${key.domain}; s=${key.selector};\r\n` +
    `\tt=${Math.floor(now.getTime() / 1000)}; bh=${bodyHash};\r\n` +
    `\th=${foldList(names)};\r\n\tb=`;
  const signer = createSign("RSA-SHA256");
  for (const field of signed) signer.update(relaxedHeader(field), "latin1");
  // The signature field itself, b= empty, without its final CRLF (§3.7).
  signer.update(relaxedHeader(unsigned).slice(0, -2), "latin1");
  return `${unsigned}${fold(signer.sign(key.privateKeyPem, "base64"))}\r\n`;
}

/** h= (each name once per instance, bottom-up, plus any extra) and the raw text of each instance signed. */
function signedInstances(buf: Buffer, fields: HeaderField[]): { names: string[]; signed: string[] } {
  const names: string[] = [];
  const signed: string[] = [];
  const list = (name: string, extra: number) => {
    const present = fields.filter((f) => f.name.toLowerCase() === name);
    for (let i = present.length - 1; i >= 0; i--) {
      const field = present[i] as HeaderField;
      names.push(name);
      signed.push(buf.toString("latin1", field.start, field.end));
    }
    // A name listed beyond the instances present signs "no such field" (the null string).
    for (let i = 0; i < extra; i++) names.push(name);
  };
  for (const name of OVERSIGNED_FIELDS) list(name, 1);
  for (const name of SIGNED_FIELDS) list(name, 0);
  return { names, signed };
}

/** §3.4.2: name lower-cased, value unfolded, whitespace runs as one space, none at either end. */
function relaxedHeader(field: string): string {
  const colon = field.indexOf(":");
  const name = field
    .slice(0, colon)
    .replace(/[ \t]+$/, "")
    .toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r?\n/g, "")
    .replace(/[ \t]+/g, " ")
    .trim();
  return `${name}:${value}\r\n`;
}

/** §3.4.4: whitespace runs as one space, none at line ends, no empty lines at the end, CRLF line ends. */
export function relaxedBody(body: string): string {
  const text = body
    .replace(/\r?\n/g, "\r\n")
    .replace(/[ \t]+/g, " ")
    .replace(/ (?=\r\n)/g, "");
  let end = text.length;
  while (end >= 2 && text.charCodeAt(end - 1) === 10 && text.charCodeAt(end - 2) === 13) end -= 2;
  const kept = text.slice(0, end).replace(/ $/, "");
  return kept.length === 0 ? "" : `${kept}\r\n`;
}

/** h= folded before a colon, so no line grows past ~76 characters. */
function foldList(names: string[]): string {
  let out = "";
  let line = 3;
  for (const [i, name] of names.entries()) {
    const piece = i === 0 ? name : `:${name}`;
    if (line + piece.length > 72) {
      out += "\r\n\t";
      line = 1;
    }
    out += piece;
    line += piece.length;
  }
  return out;
}

/** b= in lines of 72 (whitespace inside b= is ignored by verifiers, §3.5). */
function fold(base64: string): string {
  return base64.replace(/.{1,72}/g, (chunk, at: number) => (at === 0 ? chunk : `\r\n\t${chunk}`));
}
