import { readHeaderBlock } from "./header-block.ts";
import { decodeHeaderText } from "./header-decode.ts";

const BASIC = new Set(["message-id", "in-reply-to", "references"]);

/** The top-level header fields of a raw message, decoded, in order (`fields=include_headers`). */
export function messageHeaders(raw: Uint8Array, basicOnly: boolean): { name: string; value: string }[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return readHeaderBlock(buf, 0, buf.length)
    .fields.filter((f) => f.name && (!basicOnly || BASIC.has(f.name.toLowerCase())))
    .map((f) => ({ name: f.name, value: decodeHeaderText(f.value) }));
}
