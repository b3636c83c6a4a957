/**
 * Turns a framed command into tokens (RFC 3501 §9): atoms, strings (quoted or literal), lists,
 * and FETCH body sections (`BODY.PEEK[1.HEADER.FIELDS (From)]<0.100>`). Commands then read their
 * arguments from the tokens through `Args` (args.ts). Never throws anything but ParseError.
 */
import { type CommandFrame, isTag } from "./framer.ts";

export type Token =
  | { kind: "atom"; value: string }
  | {
      kind: "string";
      bytes: Buffer;
      literal: boolean;
      /** Sent as a literal8 (`~{n}`, RFC 3516): may hold NUL; only APPEND data takes one. */
      literal8?: true;
    }
  | { kind: "list"; items: Token[] }
  | {
      kind: "section";
      /** The name before "[", upper-cased: BODY, BODY.PEEK, BINARY, BINARY.PEEK, BINARY.SIZE. */
      name: string;
      /** The text between the brackets, as sent. */
      section: string;
      partial: { start: number; length: number | undefined } | null;
    };

export interface ParsedCommand {
  tag: string;
  /** Upper-case command name. */
  name: string;
  args: Token[];
}

export class ParseError extends Error {
  constructor(
    message: string,
    /** The tag, when it could be read ("*" otherwise). */
    readonly tag: string,
  ) {
    super(message);
    this.name = "ParseError";
  }
}

const SECTION_NAMES = new Set(["BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE"]);
const MAX_DEPTH = 32;
const MAX_TOKENS = 100_000;

export function parseCommand(frame: CommandFrame): ParsedCommand {
  const t = new Tokenizer(frame);
  const tag = t.word();
  if (!isTag(tag)) throw new ParseError(tag === "" ? "empty command line" : "invalid tag", "*");
  t.tag = tag;
  if (!t.space()) throw new ParseError("missing command", tag);
  const name = t.word().toUpperCase();
  if (!/^[A-Z][A-Z0-9.-]*$/.test(name)) throw new ParseError("invalid command name", tag);
  const args: Token[] = [];
  while (!t.atEnd()) {
    if (!t.space()) throw new ParseError("expected a space between arguments", tag);
    if (t.atEnd()) break; // a trailing space: tolerated
    args.push(t.token(0));
  }
  return { tag, name, args };
}

class Tokenizer {
  private li = 0;
  private pos = 0;
  private count = 0;
  tag = "*";

  constructor(private readonly frame: CommandFrame) {}

  private get line(): Buffer {
    return this.frame.lines[this.li] as Buffer;
  }

  /** End of this line, not counting a literal marker that ends it. */
  private lineEnd(): number {
    if (this.li < this.frame.literals.length) return this.line.lastIndexOf(0x7b); // "{"
    return this.line.length;
  }

  atEnd(): boolean {
    return this.li === this.frame.lines.length - 1 && this.pos >= this.line.length;
  }

  private peek(): number {
    return this.pos < this.line.length ? (this.line[this.pos] as number) : -1;
  }

  space(): boolean {
    if (this.peek() !== 0x20) return false;
    while (this.peek() === 0x20) this.pos++;
    return true;
  }

  /** A run of non-space chars (tag, command name). */
  word(): string {
    const start = this.pos;
    while (this.pos < this.line.length && this.line[this.pos] !== 0x20) this.pos++;
    return this.line.subarray(start, this.pos).toString("latin1");
  }

  private fail(message: string): never {
    throw new ParseError(message, this.tag);
  }

  token(depth: number): Token {
    if (++this.count > MAX_TOKENS) this.fail("too many arguments");
    const ch = this.peek();
    if (ch === 0x28) return this.list(depth); // (
    if (ch === 0x22) return this.quoted(); // "
    if (ch === 0x7b || (ch === 0x7e && this.line[this.pos + 1] === 0x7b)) return this.literal(); // { ~{
    if (ch === 0x29) this.fail("unexpected )");
    if (ch < 0) this.fail("missing argument");
    return this.atom();
  }

  private list(depth: number): Token {
    if (depth >= MAX_DEPTH) this.fail("lists nested too deeply");
    this.pos++;
    const items: Token[] = [];
    for (;;) {
      if (this.peek() === 0x29) {
        this.pos++;
        return { kind: "list", items };
      }
      if (items.length > 0 && !this.space()) this.fail("expected a space or ) in a list");
      if (this.peek() === 0x29) continue;
      if (this.atEnd() || this.peek() < 0) this.fail("unterminated list");
      items.push(this.token(depth + 1));
    }
  }

  private quoted(): Token {
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      const ch = this.peek();
      if (ch < 0) this.fail("unterminated quoted string");
      this.pos++;
      if (ch === 0x22) break;
      if (ch === 0x5c) {
        const next = this.peek();
        if (next !== 0x22 && next !== 0x5c) this.fail("invalid escape in quoted string");
        bytes.push(next);
        this.pos++;
        continue;
      }
      bytes.push(ch);
    }
    this.afterToken();
    return { kind: "string", bytes: Buffer.from(bytes), literal: false };
  }

  private literal(): Token {
    const literal8 = this.peek() === 0x7e;
    if (literal8) this.pos++;
    if (this.li >= this.frame.literals.length || this.pos !== this.lineEnd()) this.fail("invalid literal");
    const bytes = this.frame.literals[this.li] as Buffer;
    this.li++;
    this.pos = 0;
    this.afterToken();
    return literal8
      ? { kind: "string", bytes, literal: true, literal8 }
      : { kind: "string", bytes, literal: true };
  }

  private atom(): Token {
    const start = this.pos;
    const end = this.lineEnd();
    while (this.pos < end) {
      const ch = this.line[this.pos] as number;
      if (ch === 0x20 || ch === 0x28 || ch === 0x29 || ch === 0x22 || ch < 0x20 || ch === 0x7f) break;
      if (ch === 0x7b) this.fail("unexpected {");
      if (ch === 0x5b) {
        const name = this.line.subarray(start, this.pos).toString("latin1").toUpperCase();
        if (SECTION_NAMES.has(name)) return this.section(name);
      }
      this.pos++;
    }
    if (this.pos === start)
      this.fail(`unexpected character ${JSON.stringify(String.fromCharCode(this.peek()))}`);
    const value = this.line.subarray(start, this.pos).toString("latin1");
    this.afterToken();
    return { kind: "atom", value };
  }

  /** After "NAME[": the section text up to the matching "]", then an optional <start.length>. */
  private section(name: string): Token {
    this.pos++; // [
    const start = this.pos;
    let depth = 0;
    let inQuote = false;
    const end = this.lineEnd();
    for (;;) {
      if (this.pos >= end) this.fail("unterminated section");
      const ch = this.line[this.pos] as number;
      if (inQuote) {
        if (ch === 0x5c) this.pos++;
        else if (ch === 0x22) inQuote = false;
      } else if (ch === 0x22) inQuote = true;
      else if (ch === 0x28) depth++;
      else if (ch === 0x29) depth--;
      else if (ch === 0x5d && depth === 0) break;
      this.pos++;
    }
    const section = this.line.subarray(start, this.pos).toString("latin1");
    this.pos++; // ]
    let partial: { start: number; length: number | undefined } | null = null;
    if (this.peek() === 0x3c) {
      const close = this.line.indexOf(0x3e, this.pos);
      if (close < 0 || close > end) this.fail("unterminated partial");
      const m = /^<(\d{1,10})(?:\.(\d{1,10}))?>$/.exec(
        this.line.subarray(this.pos, close + 1).toString("latin1"),
      );
      if (!m) this.fail("invalid partial");
      const length = m[2] === undefined ? undefined : Number(m[2]);
      if (length === 0) this.fail("partial length must not be zero");
      partial = { start: Number(m[1]), length };
      this.pos = close + 1;
    }
    this.afterToken();
    return { kind: "section", name, section, partial };
  }

  /** A token ends at a space, a ")", or the end of the command. */
  private afterToken(): void {
    const ch = this.peek();
    if (ch === -1 || ch === 0x20 || ch === 0x29) return;
    if (this.li < this.frame.literals.length && this.pos === this.lineEnd()) this.fail("expected a space");
    this.fail("expected a space after an argument");
  }
}
