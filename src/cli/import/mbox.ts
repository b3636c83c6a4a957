import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { MailSource, SourceMessage } from "./source.ts";

const CHUNK = 1 << 20;
const FROM_LINE = Buffer.from("From ");
const SEPARATOR = Buffer.from("\nFrom ");

/**
 * An mbox file (mboxo or mboxrd): messages start at a "From " line at the start of a line; ">From "
 * lines lose one ">". Flags from Status (R: read) and X-Status (F: flagged, A: answered); the
 * arrival time from the "From " line.
 */
export function mboxSource(path: string): MailSource {
  const stat = statSync(path);
  return {
    total: stat.size,
    unit: "bytes",
    fingerprint: `${stat.size}:${Math.floor(stat.mtimeMs)}`,
    messages: (from) => readMbox(path, from, stat.size),
  };
}

async function* readMbox(path: string, from: number, size: number): AsyncGenerator<SourceMessage> {
  const fd = openSync(path, "r");
  let buffer = Buffer.alloc(0);
  /** The file offset of buffer[0]. */
  let offset = from;
  let position = from;
  const fill = (): boolean => {
    if (position >= size) return false;
    const chunk = Buffer.alloc(Math.min(CHUNK, size - position));
    const read = readSync(fd, chunk, 0, chunk.length, position);
    position += read;
    buffer = Buffer.concat([buffer, chunk.subarray(0, read)]);
    return read > 0;
  };
  const drop = (bytes: number) => {
    buffer = buffer.subarray(bytes);
    offset += bytes;
  };
  try {
    for (;;) {
      if (buffer.indexOf(FROM_LINE) !== 0) {
        // Anything before the first "From " line is not a message.
        const first = buffer.indexOf(SEPARATOR);
        if (first !== -1) drop(first + 1);
        else if (!fill()) return;
        continue;
      }
      const end = buffer.indexOf(SEPARATOR, 1);
      if (end === -1 && fill()) continue;
      const stop = end === -1 ? buffer.length : end + 1;
      const message = parseEntry(buffer.subarray(0, stop), offset + stop);
      drop(stop);
      if (message) yield message;
      if (end === -1) return;
    }
  } finally {
    closeSync(fd);
  }
}

function parseEntry(entry: Buffer, next: number): SourceMessage | null {
  const lineEnd = entry.indexOf("\n");
  if (lineEnd === -1) return null;
  const fromLine = entry.subarray(0, lineEnd).toString("latin1");
  let body = entry.subarray(lineEnd + 1);
  // The blank line that separates messages belongs to the file, not to the message.
  if (body.at(-1) === 0x0a) body = body.subarray(0, body.at(-2) === 0x0d ? -2 : -1);
  const text = body.toString("latin1");
  const unescaped = Buffer.from(text.replace(/^>(>*From )/gm, "$1"), "latin1");
  if (unescaped.length === 0) return null;
  const header = headerBlock(text);
  const status = headerValue(header, "status");
  const xStatus = headerValue(header, "x-status");
  const receivedAt = fromLineDate(fromLine);
  return {
    bytes: unescaped,
    next,
    seen: status.includes("R"),
    flagged: xStatus.includes("F"),
    answered: xStatus.includes("A"),
    ...(receivedAt !== undefined && { receivedAt }),
  };
}

function headerBlock(text: string): string {
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function headerValue(header: string, name: string): string {
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(header);
  return match?.[1]?.trim() ?? "";
}

/** "From sender Tue Mar  4 10:12:00 2025" → Unix seconds (the date is UTC by convention). */
function fromLineDate(line: string): number | undefined {
  const match = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\d{4})\s*$/.exec(line);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]} ${match[2]} ${match[4]} ${match[3]} UTC`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
