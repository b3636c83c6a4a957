/**
 * A message sent as a literal8 (RFC 3516 APPEND) may hold NULs, which no IMAP literal, SMTP
 * transaction or API string can carry. Before it is stored, each part whose body holds a NUL
 * is re-encoded as base64 (its Content-Transfer-Encoding field says so): BODY[…] then serves
 * text, and BINARY[…] gives the original bytes back.
 */
import { findField } from "./header-block.ts";
import { type MimeNode, parseMimeTree } from "./mime-tree.ts";
import { isMultipart } from "./parts.ts";

const LINE = 76;
const BASE64_FIELD = "Content-Transfer-Encoding: base64";

/** `raw` itself when it holds no NUL (the usual case), otherwise the re-encoded message. */
export function encodeNulParts(raw: Buffer): Buffer {
  if (!raw.includes(0)) return raw;
  const chunks: Buffer[] = [];
  const end = rewrite(raw, parseMimeTree(raw), chunks, 0);
  chunks.push(raw.subarray(end));
  return Buffer.concat(chunks);
}

/** Pushes `raw` from `at` up to the end of `node`'s body, re-encoded where needed; returns that end. */
function rewrite(raw: Buffer, node: MimeNode, chunks: Buffer[], at: number): number {
  if (node.message) return rewrite(raw, node.message, chunks, at);
  if (isMultipart(node) && node.children.length > 0) {
    let pos = at;
    for (const child of node.children) pos = rewrite(raw, child, chunks, pos);
    return pos;
  }
  const body = raw.subarray(node.bodyStart, node.bodyEnd);
  if (!body.includes(0) || node.encoding === "base64" || node.encoding === "quoted-printable") return at;
  const field = findField(node.headers, "content-transfer-encoding");
  if (field) {
    chunks.push(raw.subarray(at, field.start), Buffer.from(`${BASE64_FIELD}\r\n`));
    chunks.push(raw.subarray(field.end, node.bodyStart));
  } else {
    const last = node.headers.at(-1);
    const insertAt = last ? last.end : node.headerStart;
    chunks.push(raw.subarray(at, insertAt), Buffer.from(`${BASE64_FIELD}\r\n`));
    chunks.push(raw.subarray(insertAt, node.bodyStart));
  }
  chunks.push(Buffer.from(base64Lines(body)));
  return node.bodyEnd;
}

function base64Lines(bytes: Buffer): string {
  const text = bytes.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += LINE) lines.push(text.slice(i, i + LINE));
  return lines.join("\r\n");
}
