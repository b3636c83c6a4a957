/** SEARCH keys (RFC 3501 §6.4.4, RFC 7162 MODSEQ) parsed into a tree. */
import { astringText, BadArgs, parseSearchDate } from "./args.ts";
import type { Token } from "./parser.ts";
import { parseSequenceSet, type SequenceSet } from "./sequence.ts";

export type FlagName = "seen" | "answered" | "flagged" | "deleted" | "draft";

export type SearchKey =
  | { k: "all" }
  | { k: "flag"; flag: FlagName; value: boolean }
  | { k: "keyword"; name: string; value: boolean }
  | { k: "new" }
  | { k: "old" }
  | { k: "recent" }
  | { k: "date"; sent: boolean; op: "before" | "on" | "since"; day: number }
  | { k: "size"; op: "larger" | "smaller"; n: number }
  | { k: "header"; name: string; value: string }
  | { k: "text"; value: string }
  | { k: "body"; value: string }
  | { k: "seq"; set: SequenceSet }
  | { k: "uid"; set: SequenceSet }
  | { k: "modseq"; n: number }
  | { k: "not"; key: SearchKey }
  | { k: "or"; a: SearchKey; b: SearchKey }
  | { k: "and"; keys: SearchKey[] };

const FLAG_KEYS: Record<string, [FlagName, boolean]> = {
  ANSWERED: ["answered", true],
  DELETED: ["deleted", true],
  DRAFT: ["draft", true],
  FLAGGED: ["flagged", true],
  SEEN: ["seen", true],
  UNANSWERED: ["answered", false],
  UNDELETED: ["deleted", false],
  UNDRAFT: ["draft", false],
  UNFLAGGED: ["flagged", false],
  UNSEEN: ["seen", false],
};

const HEADER_KEYS = new Set(["FROM", "TO", "CC", "BCC", "SUBJECT"]);
const DATE_KEYS: Record<string, [boolean, "before" | "on" | "since"]> = {
  BEFORE: [false, "before"],
  ON: [false, "on"],
  SINCE: [false, "since"],
  SENTBEFORE: [true, "before"],
  SENTON: [true, "on"],
  SENTSINCE: [true, "since"],
};

const MAX_DEPTH = 50;

export class SearchParser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  /** Every remaining token as keys (an implicit AND). */
  all(): SearchKey {
    const keys: SearchKey[] = [];
    while (this.i < this.tokens.length) keys.push(this.key(0));
    if (keys.length === 0) throw new BadArgs("SEARCH needs at least one key");
    return keys.length === 1 ? (keys[0] as SearchKey) : { k: "and", keys };
  }

  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new BadArgs(`missing ${what}`);
    return t;
  }

  private string(what: string): string {
    return astringText(this.next(what), what);
  }

  private key(depth: number): SearchKey {
    if (depth > MAX_DEPTH) throw new BadArgs("search keys nested too deeply");
    const t = this.next("search key");
    if (t.kind === "list") {
      const sub = new SearchParser(t.items);
      const keys: SearchKey[] = [];
      while (sub.i < t.items.length) keys.push(sub.key(depth + 1));
      if (keys.length === 0) throw new BadArgs("empty parenthesized search key");
      return keys.length === 1 ? (keys[0] as SearchKey) : { k: "and", keys };
    }
    if (t.kind !== "atom") throw new BadArgs("a search key must be an atom");
    const name = t.value.toUpperCase();
    const flag = FLAG_KEYS[name];
    if (flag) return { k: "flag", flag: flag[0], value: flag[1] };
    const date = DATE_KEYS[name];
    if (date) {
      const text = this.string("date");
      const day = parseSearchDate(text);
      if (day === null)
        throw new BadArgs(`invalid date ${JSON.stringify(text.slice(0, 20))} (expected dd-Mon-yyyy)`);
      return { k: "date", sent: date[0], op: date[1], day };
    }
    if (HEADER_KEYS.has(name)) return { k: "header", name: name.toLowerCase(), value: this.string("string") };
    switch (name) {
      case "ALL":
        return { k: "all" };
      case "NEW":
        return { k: "new" };
      case "OLD":
        return { k: "old" };
      case "RECENT":
        return { k: "recent" };
      case "KEYWORD":
      case "UNKEYWORD":
        return { k: "keyword", name: this.atom("keyword"), value: name === "KEYWORD" };
      case "LARGER":
      case "SMALLER":
        return { k: "size", op: name === "LARGER" ? "larger" : "smaller", n: this.number("size") };
      case "HEADER": {
        const field = this.string("header field name");
        return { k: "header", name: field.toLowerCase(), value: this.string("string") };
      }
      case "TEXT":
        return { k: "text", value: this.string("string") };
      case "BODY":
        return { k: "body", value: this.string("string") };
      case "UID": {
        const set = parseSequenceSet(this.atom("UID set"));
        if (!set) throw new BadArgs("invalid UID set");
        return { k: "uid", set };
      }
      case "NOT":
        return { k: "not", key: this.key(depth + 1) };
      case "OR": {
        const a = this.key(depth + 1);
        return { k: "or", a, b: this.key(depth + 1) };
      }
      case "MODSEQ": {
        // MODSEQ [entry-name entry-type-req] mod-sequence-valzer
        const t2 = this.tokens[this.i];
        if (t2?.kind === "string") {
          this.i += 2;
        }
        const v = this.atom("mod-sequence");
        if (!/^\d{1,19}$/.test(v)) throw new BadArgs("invalid mod-sequence");
        return { k: "modseq", n: Number(v) };
      }
      default: {
        const set = parseSequenceSet(t.value);
        if (set) return { k: "seq", set };
        throw new BadArgs(`unknown search key ${t.value.slice(0, 40)}`);
      }
    }
  }

  private atom(what: string): string {
    const t = this.next(what);
    if (t.kind !== "atom") throw new BadArgs(`${what} must be an atom`);
    return t.value;
  }

  private number(what: string): number {
    const v = this.atom(what);
    if (!/^\d{1,10}$/.test(v)) throw new BadArgs(`${what} must be a number`);
    return Number(v);
  }
}

export function usesModseq(key: SearchKey): boolean {
  switch (key.k) {
    case "modseq":
      return true;
    case "not":
      return usesModseq(key.key);
    case "or":
      return usesModseq(key.a) || usesModseq(key.b);
    case "and":
      return key.keys.some(usesModseq);
    default:
      return false;
  }
}
