/**
 * Byte-level edits of a message's top-level header block. Everything outside the edited fields
 * stays byte-exact (a raw MIME send keeps the client's Message-ID, In-Reply-To and References as
 * written).
 */
import MimeNode from "nodemailer/lib/mime-node";
import type { Participant } from "./compose/participants.ts";
import { type HeaderField, readHeaderBlock } from "./header-block.ts";

export function headerFields(raw: Uint8Array): HeaderField[] {
  const buf = asBuffer(raw);
  return readHeaderBlock(buf, 0, buf.length).fields;
}

/** CRLF, or LF when the message's first line ends with a bare LF. */
export function lineEnding(raw: Uint8Array): string {
  const lf = raw.indexOf(10);
  return lf > 0 && raw[lf - 1] !== 13 ? "\n" : "\r\n";
}

/** The message with `lines` (without line endings) added at the top of its header. */
export function prependFields(raw: Uint8Array, lines: string[]): Uint8Array {
  if (lines.length === 0) return raw;
  const eol = lineEnding(raw);
  return Buffer.concat([Buffer.from(lines.map((l) => l + eol).join(""), "latin1"), asBuffer(raw)]);
}

/** The message without any top-level field named `name` (e.g. Bcc before delivery). */
export function withoutFields(raw: Uint8Array, name: string): Uint8Array {
  const wanted = name.toLowerCase();
  const cut = headerFields(raw).filter((f) => f.name.toLowerCase() === wanted);
  if (cut.length === 0) return raw;
  const buf = asBuffer(raw);
  const kept: Buffer[] = [];
  let pos = 0;
  for (const f of cut) {
    kept.push(buf.subarray(pos, f.start));
    pos = f.end;
  }
  kept.push(buf.subarray(pos));
  return Buffer.concat(kept);
}

/**
 * The message with a Bcc field at the end of its header: the composer leaves Bcc out of what is
 * delivered, but the Sent copy and drafts keep it (as mail clients do), so it can be read back.
 */
export function withBcc(raw: Uint8Array, bcc: Participant[]): Uint8Array {
  if (bcc.length === 0) return raw;
  const fields = headerFields(raw);
  const last = fields.at(-1);
  const at = last ? last.end : 0;
  const buf = asBuffer(raw);
  return Buffer.concat([
    buf.subarray(0, at),
    Buffer.from(bccField(bcc, lineEnding(raw)), "latin1"),
    buf.subarray(at),
  ]);
}

/** `Bcc: …` encoded and folded the way the composer writes To and Cc, ending with `eol`. */
function bccField(bcc: Participant[], eol: string): string {
  const node = new MimeNode("text/plain", { keepBcc: true, newline: "win" });
  node.setHeader(
    "Bcc",
    bcc.map((p) => (p.name ? { name: p.name, address: p.email } : { address: p.email })),
  );
  const header = node.buildHeaders();
  const start = header.search(/^Bcc:/m);
  const lines = header.slice(start).split("\r\n");
  const end = lines.findIndex((line, i) => i > 0 && !/^[ \t]/.test(line));
  return lines.slice(0, end < 0 ? lines.length : end).join(eol) + eol;
}

function asBuffer(raw: Uint8Array): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}
