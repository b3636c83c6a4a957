/**
 * Cuts the client's byte stream into IMAP commands: a command is one or more lines, each but the
 * last ending in a literal marker `{n}` (synchronizing: the server says "+" first) or `{n+}`
 * (LITERAL+), followed by n bytes. Pull-based: the connection asks for the next event when it is
 * ready for it, so a command is only read once the previous one is done (no pipelining races).
 *
 * Limits: a line (without its literals) over `maxLine` bytes, or a buffered backlog over
 * `maxBuffered`, ends the connection; a literal over the command's limit is refused without
 * reading it (synchronizing: the client never sends it; LITERAL+: the connection must close).
 */

export interface FramerLimits {
  maxLine: number;
  /** Bytes of unread input the connection may hold (pipelined commands, LITERAL+ data). */
  maxBuffered: number;
  /** The largest literal accepted for a command (its upper-case name, "UID" resolved). */
  maxLiteral(command: string): number;
}

export interface CommandFrame {
  /** Lines without CRLF; every line but the last ends with a literal marker. */
  lines: Buffer[];
  /** literals[i] follows lines[i]. */
  literals: Buffer[];
}

export type FramerEvent =
  | { type: "command"; frame: CommandFrame }
  | { type: "line"; line: Buffer }
  /** A synchronizing literal is wanted: answer "+ …", then pull again. */
  | { type: "continue"; size: number }
  /** Line too long or too much buffered input: answer BAD and close. */
  | { type: "overflow"; tag: string; reason: string }
  /** A literal over the limit: refuse the command; `sync` false means the bytes are coming anyway. */
  | { type: "literal-too-big"; tag: string; command: string; size: number; limit: number; sync: boolean };

const EMPTY = Buffer.alloc(0);
const LF = 0x0a;
const CR = 0x0d;
const LITERAL_MARKER = /(~?)\{(\d{1,12})(\+?)\}$/;

export class Framer {
  private pending: Buffer = EMPTY;
  /** Chunks received since the last pull, joined lazily (one copy per pull, not per chunk). */
  private incoming: Buffer[] = [];
  private incomingBytes = 0;
  /** How far `pending` was already searched for LF. */
  private scanned = 0;
  private lines: Buffer[] = [];
  private literals: Buffer[] = [];
  private lineBytes = 0;
  private literalBytes = 0;
  private literal: Buffer | null = null;
  private literalFilled = 0;
  /** Tag and command of the command being read (for errors before it is complete). */
  private head: { tag: string; command: string } | null = null;

  constructor(private readonly limits: FramerLimits) {}

  /** Bytes buffered but not yet consumed. */
  get buffered(): number {
    return this.pending.length + this.incomingBytes + (this.literal ? this.literalFilled : 0);
  }

  /** True while part of a command (a line or a literal) has been read but not the whole. */
  get midCommand(): boolean {
    return this.lines.length > 0 || this.literal !== null;
  }

  /** Takes the unread input out (COMPRESS: what follows the command is compressed). */
  takePending(): Buffer {
    this.gather();
    const rest = this.pending;
    this.discardPending();
    return rest;
  }

  /** Drops unread input (after STARTTLS: nothing sent in plaintext may be taken as encrypted). */
  discardPending(): void {
    this.pending = EMPTY;
    this.incoming = [];
    this.incomingBytes = 0;
    this.scanned = 0;
  }

  /** Returns false when the input backlog is over the limit (the caller closes the connection). */
  push(chunk: Uint8Array): boolean {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.literal && this.pending.length === 0 && this.incoming.length === 0) {
      const take = Math.min(data.length, this.literal.length - this.literalFilled);
      data.copy(this.literal, this.literalFilled, 0, take);
      this.literalFilled += take;
      data = data.subarray(take);
      if (data.length === 0) return true;
    }
    this.incoming.push(Buffer.from(data));
    this.incomingBytes += data.length;
    return this.pending.length + this.incomingBytes <= this.limits.maxBuffered;
  }

  /** Joins what arrived since the last pull onto `pending`. */
  private gather(): void {
    if (this.incoming.length === 0) return;
    this.pending =
      this.pending.length === 0 && this.incoming.length === 1
        ? (this.incoming[0] as Buffer)
        : Buffer.concat([this.pending, ...this.incoming]);
    this.incoming = [];
    this.incomingBytes = 0;
  }

  /** The next event in `mode`, or null when more input is needed. */
  next(mode: "command" | "line"): FramerEvent | null {
    this.gather();
    for (;;) {
      if (this.literal) {
        if (!this.fillLiteral()) return null;
        continue;
      }
      const lf = this.pending.indexOf(LF, this.scanned);
      if (lf < 0) {
        this.scanned = this.pending.length;
        if (this.pending.length > this.limits.maxLine) return this.overflow("command line too long");
        return null;
      }
      const end = lf > 0 && this.pending[lf - 1] === CR ? lf - 1 : lf;
      const line = this.pending.subarray(0, end);
      this.pending = this.pending.subarray(lf + 1);
      this.scanned = 0;
      if (line.length > this.limits.maxLine) return this.overflow("command line too long");
      if (mode === "line" && this.lines.length === 0) return { type: "line", line: Buffer.from(line) };

      this.lineBytes += line.length;
      if (this.lineBytes > this.limits.maxLine * 4) return this.overflow("command too long");
      if (this.lines.length === 0) this.head = commandHead(line);
      const marker = literalMarker(line);
      if (!marker) {
        this.lines.push(Buffer.from(line));
        const frame = { lines: this.lines, literals: this.literals };
        this.reset();
        return { type: "command", frame };
      }
      const head = this.head ?? { tag: "*", command: "" };
      const limit = this.limits.maxLiteral(head.command);
      this.literalBytes += marker.size;
      if (marker.size > limit || this.literalBytes > limit) {
        this.reset();
        return {
          type: "literal-too-big",
          tag: head.tag,
          command: head.command,
          size: marker.size,
          limit,
          sync: marker.sync,
        };
      }
      this.lines.push(Buffer.from(line));
      this.literal = Buffer.allocUnsafe(marker.size);
      this.literalFilled = 0;
      if (marker.sync) return { type: "continue", size: marker.size };
    }
  }

  private fillLiteral(): boolean {
    const literal = this.literal as Buffer;
    const take = Math.min(this.pending.length, literal.length - this.literalFilled);
    this.pending.copy(literal, this.literalFilled, 0, take);
    this.literalFilled += take;
    this.pending = this.pending.subarray(take);
    if (this.literalFilled < literal.length) return false;
    this.literals.push(literal);
    this.literal = null;
    return true;
  }

  private overflow(reason: string): FramerEvent {
    const tag = this.head?.tag ?? commandHead(this.pending.subarray(0, 200))?.tag ?? "*";
    this.reset();
    this.discardPending();
    return { type: "overflow", tag, reason };
  }

  private reset(): void {
    this.lines = [];
    this.literals = [];
    this.lineBytes = 0;
    this.literalBytes = 0;
    this.head = null;
  }
}

/** `{n}` / `{n+}` at the end of a line (`~{n}` is a BINARY literal8: also framed, refused later). */
export function literalMarker(line: Uint8Array): { size: number; sync: boolean } | null {
  if (line.length < 3 || line[line.length - 1] !== 0x7d) return null;
  const tail = Buffer.from(line.subarray(Math.max(0, line.length - 20))).toString("latin1");
  const m = LITERAL_MARKER.exec(tail);
  if (!m) return null;
  return { size: Number(m[2]), sync: m[3] !== "+" };
}

/** The tag and upper-case command name of a command's first line ("UID FETCH" → "FETCH"). */
export function commandHead(line: Uint8Array): { tag: string; command: string } {
  const text = Buffer.from(line.subarray(0, 64)).toString("latin1");
  const [tag = "*", first = "", second = ""] = text.split(" ");
  const command = first.toUpperCase() === "UID" ? second.toUpperCase() : first.toUpperCase();
  return { tag: isTag(tag) ? tag : "*", command };
}

const TAG = /^[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c-\x7e]+$/;

/** RFC 3501 `tag`: ASTRING-CHARs except "+" (so not `(`, `)`, `{`, SP, `%`, `*`, `"`, `\`, `]`). */
export function isTag(s: string): boolean {
  return s.length > 0 && s.length <= 64 && TAG.test(s);
}
