/**
 * The `search_query_native` grammar of agent accounts (Nylas v3), plus agentbox's field prefixes:
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*       implicit AND is the same as AND; binds tighter than OR
 *   unary   := "-" unary | field | primary  "-" only when it touches what follows: `-word`
 *   field   := NAME ":" unary               NAME: from to cc subject body filename (lower-case),
 *                                           touching what follows; fields do not nest
 *   primary := WORD | WORD"*" | '"' phrase '"' | "(" or ")"
 *
 * Operators are the upper-case words AND and OR; `and`, `or` and `NOT` are plain words. A word
 * ends at whitespace, a parenthesis or a quote; a phrase at the next quote (no escapes). Limits:
 * 512 UTF-8 bytes, 64 nodes (words, phrases, field prefixes, negations, and each AND/OR, implicit
 * ones included), 8 levels of parentheses. Words and phrases with nothing searchable (`!!!`, `*`, `""`) are dropped, as if
 * absent; a query left with nothing is an error.
 */
import { queryText } from "./tokens.ts";

export type SearchField = "from" | "to" | "cc" | "subject" | "body" | "filename";

export type SearchNode =
  /** `prefix`: the word ended in `*` (removed from `text`). */
  | { type: "term"; text: string; prefix: boolean }
  | { type: "phrase"; text: string }
  | { type: "field"; field: SearchField; child: SearchNode }
  | { type: "and"; children: SearchNode[] }
  | { type: "or"; children: SearchNode[] }
  | { type: "not"; child: SearchNode };

export class SearchSyntaxError extends Error {
  /** `position`: a UTF-16 index into the query. */
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "SearchSyntaxError";
  }
}

export const MAX_QUERY_BYTES = 512;
export const MAX_NODES = 64;
export const MAX_DEPTH = 8;

export function parseSearch(query: string): SearchNode {
  checkLength(query);
  const tokens = lex(query);
  if (tokens.length === 0) throw new SearchSyntaxError("empty search query", 0);
  const node = new Parser(tokens).query();
  if (node === null) throw new SearchSyntaxError("the query has no searchable words", 0);
  return node;
}

function checkLength(query: string): void {
  let bytes = 0;
  for (let i = 0; i < query.length; i++) {
    const code = query.codePointAt(i) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes > MAX_QUERY_BYTES) {
      throw new SearchSyntaxError(`the query is longer than ${MAX_QUERY_BYTES} bytes`, i);
    }
    if (code >= 0x10000) i++;
  }
}

type TokenKind = "word" | "phrase" | "and" | "or" | "not" | "field" | "lparen" | "rparen";

interface Token {
  kind: TokenKind;
  /** Word or phrase text, or the field name. */
  text: string;
  pos: number;
  /** Whitespace came before it. */
  spaced: boolean;
}

const FIELD_PREFIX = /^(from|to|cc|subject|body|filename):/;
const BLANK = /[\s\p{Cc}]/u;
const WORD_END = /[\s\p{Cc}()"]/u;

function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let spaced = false;
  let i = 0;
  while (i < query.length) {
    if (BLANK.test(query[i] ?? "")) {
      spaced = true;
      i++;
      continue;
    }
    const [token, next] = readToken(query, i, spaced);
    tokens.push(token);
    spaced = false;
    i = next;
  }
  return tokens;
}

function readToken(query: string, pos: number, spaced: boolean): [Token, number] {
  const c = query[pos] ?? "";
  const token = (kind: TokenKind, text: string): Token => ({ kind, text, pos, spaced });
  if (c === "(") return [token("lparen", c), pos + 1];
  if (c === ")") return [token("rparen", c), pos + 1];
  if (c === '"') {
    const close = query.indexOf('"', pos + 1);
    if (close < 0) throw new SearchSyntaxError("unterminated quote", pos);
    return [token("phrase", query.slice(pos + 1, close)), close + 1];
  }
  const after = query[pos + 1] ?? ")";
  if (c === "-" && after !== ")" && !BLANK.test(after)) return [token("not", c), pos + 1];
  let end = pos;
  while (end < query.length && !WORD_END.test(query[end] ?? "")) end++;
  const word = query.slice(pos, end);
  if (word === "AND") return [token("and", word), end];
  if (word === "OR") return [token("or", word), end];
  const field = FIELD_PREFIX.exec(word)?.[1];
  if (field !== undefined) return [token("field", field), pos + field.length + 1];
  return [token("word", word), end];
}

/** Recursive descent; null stands for a part with nothing searchable in it. */
class Parser {
  private at = 0;
  private nodes = 0;
  private depth = 0;
  private inField = false;

  constructor(private readonly tokens: Token[]) {}

  query(): SearchNode | null {
    const node = this.or();
    const extra = this.peek();
    if (extra !== undefined) throw new SearchSyntaxError('unmatched ")"', extra.pos);
    return node;
  }

  private or(): SearchNode | null {
    const children = [this.and()];
    while (this.peek()?.kind === "or") {
      this.count(this.operator());
      children.push(this.and());
    }
    return combine("or", children);
  }

  private and(): SearchNode | null {
    const children = [this.unary()];
    for (let next = this.peek(); next !== undefined; next = this.peek()) {
      if (next.kind === "and") this.operator();
      else if (!startsOperand(next)) break;
      this.count(next);
      children.push(this.unary());
    }
    return combine("and", children);
  }

  /** Consumes AND/OR, which must have an operand after it. */
  private operator(): Token {
    const op = this.next();
    const after = this.peek();
    if (after === undefined || !startsOperand(after)) {
      throw new SearchSyntaxError(`"${op.text}" has no term after it`, op.pos);
    }
    return op;
  }

  private unary(): SearchNode | null {
    const token = this.next();
    if (token.kind === "not") {
      const after = this.peek();
      if (after === undefined || !startsOperand(after)) {
        throw new SearchSyntaxError('"-" must be followed by a word, a quoted phrase or a group', token.pos);
      }
      this.count(token);
      const child = this.unary();
      return child && { type: "not", child };
    }
    if (token.kind === "field") return this.field(token);
    return this.primary(token);
  }

  private field(token: Token): SearchNode | null {
    const after = this.peek();
    if (after === undefined || after.spaced || !startsOperand(after)) {
      throw new SearchSyntaxError(
        `"${token.text}:" must be followed, without a space, by a word, a quoted phrase or a group`,
        token.pos,
      );
    }
    if (this.inField) {
      throw new SearchSyntaxError(`"${token.text}:" is inside another field prefix`, token.pos);
    }
    this.count(token);
    this.inField = true;
    const child = this.unary();
    this.inField = false;
    if (child === null) return null;
    const field = token.text as SearchField;
    // -from:x and from:-x mean the same; keeping NOT outermost lets fts.ts use it as AND NOT.
    if (child.type === "not") return { type: "not", child: { type: "field", field, child: child.child } };
    return { type: "field", field, child };
  }

  private primary(token: Token): SearchNode | null {
    switch (token.kind) {
      case "word":
        this.count(token);
        return leaf(token.text);
      case "phrase":
        this.count(token);
        return queryText(token.text, false) === null ? null : { type: "phrase", text: token.text };
      case "lparen":
        return this.group(token);
      case "rparen":
        throw new SearchSyntaxError('unmatched ")"', token.pos);
      default:
        throw new SearchSyntaxError(`"${token.text}" has no term before it`, token.pos);
    }
  }

  private group(open: Token): SearchNode | null {
    if (++this.depth > MAX_DEPTH) {
      throw new SearchSyntaxError(`parentheses are nested deeper than ${MAX_DEPTH} levels`, open.pos);
    }
    const first = this.peek();
    if (first === undefined) throw new SearchSyntaxError('unclosed "("', open.pos);
    if (first.kind === "rparen") throw new SearchSyntaxError("empty parentheses", open.pos);
    const node = this.or();
    if (this.peek()?.kind !== "rparen") throw new SearchSyntaxError('unclosed "("', open.pos);
    this.at++;
    this.depth--;
    return node;
  }

  private count(token: Token): void {
    if (++this.nodes > MAX_NODES) {
      throw new SearchSyntaxError(`the query has more than ${MAX_NODES} terms and operators`, token.pos);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  /** Callers only ask after checking there is a token. */
  private next(): Token {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error("parser read past the end");
    return token;
  }
}

function startsOperand(token: Token): boolean {
  return token.kind !== "and" && token.kind !== "or" && token.kind !== "rparen";
}

function leaf(word: string): SearchNode | null {
  const prefix = word.endsWith("*");
  const text = prefix ? word.slice(0, -1) : word;
  return queryText(text, prefix) === null ? null : { type: "term", text, prefix };
}

function combine(type: "and" | "or", parts: (SearchNode | null)[]): SearchNode | null {
  const children = parts.filter((part) => part !== null);
  if (children.length < 2) return children[0] ?? null;
  return { type, children };
}
