/**
 * RFC 5322 address lists as IMAP ENVELOPE addresses (RFC 3501 §7.4.2): `{name, adl, mailbox,
 * host}`, groups as a start marker (host null, mailbox = group name) and an all-null end
 * marker. Values stay raw binary strings: encoded-words in names are not decoded, as IMAP
 * sends them un-decoded. Tolerant: garbage yields fewer addresses, never an exception.
 */

export interface ImapAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

type TokenKind = "word" | "quoted" | "literal" | "comment" | "special";

interface Token {
  kind: TokenKind;
  text: string;
  /** Whitespace (or a comment) came before this token. */
  spaced: boolean;
}

export function parseAddressList(value: string): ImapAddress[] {
  return new AddressParser(tokenize(value)).list();
}

const SPECIALS = "<>@,;:";

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let spaced = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? "";
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      spaced = true;
      i++;
      continue;
    }
    const [kind, text, next] = readToken(s, i, c);
    tokens.push({ kind, text, spaced });
    spaced = kind === "comment";
    i = next;
  }
  return tokens;
}

function readToken(s: string, i: number, c: string): [TokenKind, string, number] {
  if (c === '"') return readQuoted(s, i);
  if (c === "(") return readComment(s, i);
  if (c === "[") {
    const close = s.indexOf("]", i);
    const end = close < 0 ? s.length : close + 1;
    return ["literal", s.slice(i, end), end];
  }
  if (SPECIALS.includes(c)) return ["special", c, i + 1];
  let end = i;
  while (end < s.length && !/[ \t\r\n"()[<>@,;:]/.test(s[end] ?? "")) end++;
  return ["word", s.slice(i, end), end];
}

function readQuoted(s: string, start: number): [TokenKind, string, number] {
  let text = "";
  let i = start + 1;
  for (; i < s.length && s[i] !== '"'; i++) {
    if (s[i] === "\\" && i + 1 < s.length) i++;
    if (s[i] !== "\r" && s[i] !== "\n") text += s[i];
  }
  return ["quoted", text, i + 1];
}

function readComment(s: string, start: number): [TokenKind, string, number] {
  let depth = 0;
  let text = "";
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length) {
      text += s[++i];
      continue;
    }
    if (c === "(" && depth++ === 0) continue;
    if (c === ")" && --depth === 0) return ["comment", text, i + 1];
    text += c;
  }
  return ["comment", text, s.length];
}

class AddressParser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  list(): ImapAddress[] {
    const out: ImapAddress[] = [];
    while (this.i < this.tokens.length) {
      if (this.skipSpecial(",")) continue;
      this.address(out, false);
    }
    return out;
  }

  /** One mailbox or group; stops before the `,` (or `;` inside a group) that ends it. */
  private address(out: ImapAddress[], inGroup: boolean) {
    const start = this.i;
    const { words, comment } = this.collectUntil(inGroup ? ",;<" : ",;<:");
    const next = this.peekSpecial();
    if (next === ":") {
      this.i++;
      this.group(out, phrase(words));
    } else if (next === "<") {
      this.i++;
      const route = this.routeAddr();
      const trailing = this.collectUntil(inGroup ? ",;" : ",").comment;
      out.push({ ...route, name: phrase(words) || comment || trailing || null });
    } else {
      if (words.length > 0) out.push({ ...addrSpec(words), name: comment || null });
      if (next === ";" && !inGroup) this.i++;
    }
    if (this.i === start) this.i++; // always make progress
  }

  private group(out: ImapAddress[], name: string) {
    out.push({ name: null, adl: null, mailbox: name, host: null });
    while (this.i < this.tokens.length && this.peekSpecial() !== ";") {
      if (this.skipSpecial(",")) continue;
      this.address(out, true);
    }
    this.skipSpecial(";");
    out.push({ name: null, adl: null, mailbox: null, host: null });
  }

  /** `[@route,@route:]local@domain>` after the `<`. */
  private routeAddr(): Omit<ImapAddress, "name"> {
    const inner: Token[] = [];
    while (this.i < this.tokens.length && this.peekSpecial() !== ">") {
      const token = this.tokens[this.i++];
      if (token && token.kind !== "comment") inner.push(token);
    }
    this.skipSpecial(">");
    const colon = inner.findIndex((t) => t.kind === "special" && t.text === ":");
    const route = colon >= 0 && inner[0]?.text === "@" ? inner.slice(0, colon) : [];
    const spec = addrSpec(route.length > 0 ? inner.slice(colon + 1) : inner);
    return { ...spec, adl: route.length > 0 ? route.map((t) => t.text).join("") : null };
  }

  private collectUntil(stops: string): { words: Token[]; comment: string } {
    const words: Token[] = [];
    let comment = "";
    while (this.i < this.tokens.length) {
      const token = this.tokens[this.i];
      if (!token || (token.kind === "special" && stops.includes(token.text))) break;
      if (token.kind === "comment") comment = token.text;
      else words.push(token);
      this.i++;
    }
    return { words, comment };
  }

  private peekSpecial(): string | undefined {
    const token = this.tokens[this.i];
    return token?.kind === "special" ? token.text : undefined;
  }

  private skipSpecial(text: string): boolean {
    if (this.peekSpecial() !== text) return false;
    this.i++;
    return true;
  }
}

/** Display-name words joined the way they were spaced. */
function phrase(words: Token[]): string {
  return words.map((w, i) => (i > 0 && w.spaced ? ` ${w.text}` : w.text)).join("");
}

/** `local@domain`, split at the last `@`; no `@` gives an empty host (null would mean a group). */
function addrSpec(tokens: Token[]): Omit<ImapAddress, "name" | "adl"> & { adl: null } {
  let at = -1;
  tokens.forEach((t, i) => {
    if (t.kind === "special" && t.text === "@") at = i;
  });
  if (at < 0) return { adl: null, mailbox: phrase(tokens), host: "" };
  const local = tokens.slice(0, at).map((t) => t.text);
  const domain = tokens.slice(at + 1).map((t) => t.text);
  return { adl: null, mailbox: local.join(""), host: domain.join("") };
}
