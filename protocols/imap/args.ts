/**
 * Typed reading of a command's argument tokens. Every reader throws BadArgs (answered BAD) on a
 * wrong or missing argument, so commands read their grammar top to bottom.
 */
import { fail } from "./completion.ts";
import type { Token } from "./parser.ts";
import { parseSequenceSet, type SequenceSet } from "./sequence.ts";
import { decodeMailboxName } from "./utf7.ts";

export class BadArgs extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadArgs";
  }
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export class Args {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly what = "command",
  ) {}

  get remaining(): number {
    return this.tokens.length - this.i;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** The next token is an atom equal (case-insensitively) to `word`: consume it. */
  takeAtom(word: string): boolean {
    const t = this.peek();
    if (t?.kind === "atom" && t.value.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  /** The next token is a list: consume and return it. */
  takeList(): Token[] | null {
    const t = this.peek();
    if (t?.kind !== "list") return null;
    this.i++;
    return t.items;
  }

  next(name: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw new BadArgs(`missing ${name}`);
    this.i++;
    return t;
  }

  end(): void {
    if (this.i < this.tokens.length) throw new BadArgs(`unexpected extra arguments to ${this.what}`);
  }

  atom(name: string): string {
    const t = this.next(name);
    if (t.kind !== "atom") throw new BadArgs(`${name} must be an atom`);
    return t.value;
  }

  /** astring as text (UTF-8). */
  astring(name: string): string {
    return astringText(this.next(name), name);
  }

  /** A mailbox name, decoded from modified UTF-7; "INBOX" in any case is INBOX. */
  mailbox(name = "mailbox name"): string {
    return mailboxName(this.astring(name), name);
  }

  number(name: string): number {
    const v = this.atom(name);
    if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) throw new BadArgs(`${name} must be a number`);
    return Number(v);
  }

  /** mod-sequence-value: 1..2^63-1 (kept as a JS number; MODSEQs here stay far below 2^53). */
  modseq(name: string, allowZero = false): number {
    const v = this.atom(name);
    if (!/^\d{1,19}$/.test(v)) throw new BadArgs(`${name} must be a number`);
    const n = Number(v);
    if ((!allowZero && n === 0) || !Number.isSafeInteger(n)) throw new BadArgs(`${name} is out of range`);
    return n;
  }

  sequenceSet(name = "sequence set"): SequenceSet {
    const v = this.atom(name);
    const set = parseSequenceSet(v);
    if (!set) throw new BadArgs(`invalid ${name} ${JSON.stringify(v.slice(0, 40))}`);
    return set;
  }

  list(name: string): Token[] {
    const t = this.next(name);
    if (t.kind !== "list") throw new BadArgs(`${name} must be a parenthesized list`);
    return t.items;
  }
}

export function astringText(t: Token, name: string): string {
  if (t.kind === "atom") return t.value;
  if (t.kind === "string" && !t.literal8) return t.bytes.toString("utf8");
  throw new BadArgs(`${name} must be a string`);
}

/**
 * 8-bit names (UTF-8 sent raw) are taken as they are. Invalid modified UTF-7 names no mailbox:
 * NO (as Dovecot answers); in a LIST pattern or reference it is kept as sent and matches nothing.
 */
export function mailboxName(raw: string, name = "mailbox name"): string {
  const decoded = decodeMailboxName(raw);
  if (decoded === null && /^[\x20-\x7e]*$/.test(raw)) {
    if (name === "pattern" || name === "reference") return raw;
    fail(`${name} is not valid modified UTF-7`, "CANNOT");
  }
  const name8 = decoded ?? raw;
  return name8.toUpperCase() === "INBOX" ? "INBOX" : name8;
}

/** date = "dd-Mon-yyyy" (RFC 3501 `date`), quoted or not; Unix seconds at 00:00 UTC. */
export function parseSearchDate(text: string): number | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] as string).toLowerCase());
  const day = Number(m[1]);
  if (month < 0 || day < 1 || day > 31) return null;
  const ms = Date.UTC(Number(m[3]), month, day);
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return null;
  return ms / 1000;
}

/** date-time = "dd-Mon-yyyy hh:mm:ss +zzzz" (APPEND); Unix seconds. */
export function parseDateTime(text: string): number | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] as string).toLowerCase());
  const [day = 0, year = 0, hh = 0, mm = 0, ss = 0, zh = 0, zm = 0] = [
    m[1],
    m[3],
    m[4],
    m[5],
    m[6],
    m[8],
    m[9],
  ].map(Number);
  if (month < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59) return null;
  const offset = (m[7] === "-" ? -1 : 1) * (zh * 60 + zm);
  const ms = Date.UTC(year, month, day, hh, mm, ss) - offset * 60_000;
  return Math.floor(ms / 1000);
}
