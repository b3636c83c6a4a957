/**
 * How text becomes FTS5 tokens, shared by indexing (index-text.ts) and querying (fts.ts) so the
 * two always agree. The table's tokenizer is unicode61 with tokenchars `@.-_+` (schema.ts), which
 * keeps `alice@example.com` as one token but also glues `tomorrow.` and `follow-up` into single
 * tokens. So before the tokenizer sees any text we:
 *  - turn every tokenchar into a space: ordinary text tokenizes as if tokenchars were not set,
 *    so `tomorrow.` is `tomorrow`, `invoice.pdf` is `invoice pdf`, `alice@example.com` is
 *    `alice example com` (which is how `alice`, `example.com` and `invoice` find it);
 *  - append each email address found in the text, whole, after the text. Only these appended
 *    tokens contain tokenchars, so an exact address search (`alice@example.com`) matches them
 *    and not `bob.alice@example.com`;
 *  - put spaces around each Han, Hiragana, Katakana and Hangul character: unicode61 does not
 *    segment these scripts, so one character per token turns a phrase into a substring search.
 */
import { isAscii } from "../ascii.ts";

/** Letters, digits and combining marks (what unicode61 keeps in tokens), and the tokenchars. */
const ADDRESS_CHAR = /[\p{L}\p{N}\p{M}._+@-]/u;
const ADDRESS_PREFIX = /^[\p{L}\p{N}\p{M}._+-]+@[\p{L}\p{N}\p{M}._+-]*$/u;
const TOKEN_CHARS = /[@.\-_+]/g;
const CONTROL = /\p{Cc}/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: in ASCII text, these are what \p{Cc} matches
const ASCII_SEPARATORS = /[@.\-_+\x00-\x1f\x7f]/g;
const UNSEGMENTED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/gu;
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * A token no indexed text or user query can produce (queries drop tokenchars outside whole
 * addresses, and it has no `@`), nor prefix-match (it starts with a tokenchar). Every row
 * carries it, giving FTS5's binary NOT a left-hand side for queries like `-spam`.
 */
export const ALL_ROWS_TOKEN = "_all_messages_";

/**
 * The token every row of a grant carries (in the subject column, beside ALL_ROWS_TOKEN), so a
 * search ANDs it in and the index itself keeps to one account's messages: a search in a small
 * account never walks a big account's matches. Like ALL_ROWS_TOKEN, no query can produce it.
 */
export function grantToken(grantId: string): string {
  return `_grant_${grantId.toLowerCase()}`;
}

/** The text to store in an FTS5 column. */
export function indexText(text: string): string {
  const addresses = addressesIn(text);
  const words = splitWords(text);
  return addresses.length > 0 ? `${words} ${addresses.join(" ")}` : words;
}

/**
 * The text to quote as an FTS5 string for a user's word or phrase (`prefix`: it ended in `*`),
 * or null when it has nothing the tokenizer would index. A term that is exactly one address (or,
 * with `prefix`, the start of one up to at least its `@`) is kept whole to match the appended
 * addresses; anything else is split like indexed text.
 */
export function queryText(term: string, prefix: boolean): string | null {
  const whole = prefix ? ADDRESS_PREFIX.test(term) && !term.startsWith(".") : isOneAddress(term);
  const text = whole ? term : splitWords(term).trim();
  return SEARCHABLE.test(text) ? text : null;
}

function isOneAddress(term: string): boolean {
  const found = addressesIn(term);
  return found.length === 1 && found[0] === term;
}

/**
 * `local@domain` pieces of runs of address characters, without the sentence punctuation that
 * may surround them. Only the runs around each `@` are examined (most text has none), by
 * walking outward character by character: a regex like `x+@x+` backtracks quadratically over a
 * long run with no `@`, such as base64 pasted into a body.
 */
function addressesIn(text: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf("@"); at !== -1; ) {
    let start = at;
    while (start > 0 && ADDRESS_CHAR.test(text[start - 1] ?? "")) start--;
    let end = at + 1;
    while (end < text.length && ADDRESS_CHAR.test(text[end] ?? "")) end++;
    collectAddresses(text.slice(start, end), found);
    at = text.indexOf("@", end);
  }
  return found;
}

function collectAddresses(run: string, found: string[]): void {
  const parts = run.split("@");
  for (let i = 0; i + 1 < parts.length; i++) {
    const address = trimPunctuation(`${parts[i]}@${parts[i + 1]}`);
    const at = address.indexOf("@");
    if (at === 0 || at === address.length - 1) continue;
    found.push(address);
    i++;
  }
}

/** Leading dots and trailing tokenchars; loops, as `/[._+-]+$/` is quadratic on a long run. */
function trimPunctuation(address: string): string {
  let start = 0;
  while (address[start] === ".") start++;
  let end = address.length;
  while (end > start && "._+-".includes(address[end - 1] ?? "@")) end--;
  return address.slice(start, end);
}

function splitWords(text: string): string {
  // ASCII text has no unsegmented scripts, and one pass replaces its controls with the tokenchars.
  if (isAscii(text)) return text.replace(ASCII_SEPARATORS, " ");
  return text.replace(TOKEN_CHARS, " ").replace(CONTROL, " ").replace(UNSEGMENTED, " $& ");
}
