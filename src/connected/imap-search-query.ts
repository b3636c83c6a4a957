import type { SearchObject } from "imapflow";

/** A `search_query_native` a connected account's provider cannot be asked. */
export class ImapSearchSyntaxError extends Error {}

const FLAG_KEYS: Record<string, [keyof SearchObject, boolean]> = {
  ANSWERED: ["answered", true],
  UNANSWERED: ["answered", false],
  DELETED: ["deleted", true],
  UNDELETED: ["deleted", false],
  DRAFT: ["draft", true],
  UNDRAFT: ["draft", false],
  FLAGGED: ["flagged", true],
  UNFLAGGED: ["flagged", false],
  SEEN: ["seen", true],
  UNSEEN: ["seen", false],
  ALL: ["all", true],
  NEW: ["new", true],
  OLD: ["old", true],
  RECENT: ["recent", true],
};
const STRING_KEYS: Record<string, keyof SearchObject> = {
  BCC: "bcc",
  BODY: "body",
  CC: "cc",
  FROM: "from",
  SUBJECT: "subject",
  TEXT: "text",
  TO: "to",
  KEYWORD: "keyword",
  UID: "uid",
};
const DATE_KEYS: Record<string, keyof SearchObject> = {
  BEFORE: "before",
  ON: "on",
  SINCE: "since",
  SENTBEFORE: "sentBefore",
  SENTON: "sentOn",
  SENTSINCE: "sentSince",
};
const NUMBER_KEYS: Record<string, keyof SearchObject> = { LARGER: "larger", SMALLER: "smaller" };

/**
 * `search_query_native` on a connected account is IMAP SEARCH syntax (RFC 3501 §6.4.4), as Nylas
 * has it for IMAP grants: `FROM "ana" UNSEEN SINCE 1-Feb-2024`, `OR SUBJECT a SUBJECT b`,
 * `NOT SEEN`, `HEADER List-Id x`. Words that are no search key are searched as TEXT.
 */
export function parseImapSearch(query: string): SearchObject {
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new ImapSearchSyntaxError("the query is empty");
  const result: SearchObject = {};
  let i = 0;
  const take = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new ImapSearchSyntaxError("the query ends where a value was expected");
    return t;
  };
  const one = (): SearchObject => {
    const raw = take();
    const key = raw.toUpperCase();
    const flag = FLAG_KEYS[key];
    if (flag) return { [flag[0]]: flag[1] };
    const text = STRING_KEYS[key];
    if (text) return { [text]: take() };
    const date = DATE_KEYS[key];
    if (date) return { [date]: imapDate(take()) };
    const size = NUMBER_KEYS[key];
    if (size) {
      const n = Number(take());
      if (!Number.isInteger(n) || n < 0) throw new ImapSearchSyntaxError(`${key} needs a size in bytes`);
      return { [size]: n };
    }
    if (key === "HEADER") return { header: { [take()]: take() } };
    if (key === "NOT") return { not: one() };
    if (key === "OR") return { or: [one(), one()] };
    return { text: raw };
  };
  while (i < tokens.length) {
    const part = one();
    for (const [k, v] of Object.entries(part)) {
      const key = k as keyof SearchObject;
      if (result[key] !== undefined) {
        throw new ImapSearchSyntaxError(
          `${k.toUpperCase()} appears twice: combine them with OR, or search one`,
        );
      }
      (result as Record<string, unknown>)[key] = v;
    }
  }
  return result;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of query.matchAll(re))
    tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? ""));
  return tokens;
}

/** 1-Feb-2024 (IMAP's form) or 2024-02-01. */
function imapDate(value: string): Date {
  const d = new Date(/^\d{1,2}-[A-Za-z]{3}-\d{4}$/.test(value) ? value.replace(/-/g, " ") : value);
  if (Number.isNaN(d.getTime())) throw new ImapSearchSyntaxError(`${value} is not a date (1-Feb-2024)`);
  return d;
}
