/**
 * Compiles a parsed search into an FTS5 MATCH expression for the `messages_fts` table. User text
 * only ever appears inside FTS5 strings ("..." with `"` doubled), so NEAR, `*`, `^`, `:` and
 * column names in a query are just text to the tokenizer. What we add around the strings:
 * AND/OR/NOT, parentheses, `{column} :` filters for field prefixes, and ` *` after a word the
 * user ended with `*` (prefix search on its last token, e.g. `invoi*`, `alice@exa*`).
 */
import type { SearchField, SearchNode } from "./parse.ts";
import { ALL_ROWS_TOKEN, grantToken, queryText } from "./tokens.ts";

const FIELD_COLUMNS: Record<SearchField, string> = {
  from: "from_addr",
  to: "to_addr",
  cc: "cc_addr",
  subject: "subject",
  body: "body",
  filename: "filenames",
};

/** Expects parseSearch's output; unprefixed words search every column. */
export function toFtsMatch(node: SearchNode): string {
  return compile(node, null);
}

/** A compiled search limited, inside the index, to one grant's messages (see grantToken). */
export function withinGrant(grantId: string, match: string): string {
  return `{subject} : ${quote(grantToken(grantId))} AND (${match})`;
}

function compile(node: SearchNode, column: string | null): string {
  switch (node.type) {
    case "term":
      return scoped(column, ftsString(node.text, node.prefix));
    case "phrase":
      return scoped(column, ftsString(node.text, false));
    case "field":
      return compile(node.child, FIELD_COLUMNS[node.field]);
    case "or":
      return `(${node.children.map((child) => compile(child, column)).join(" OR ")})`;
    case "and":
      return conjunction(node.children, column);
    case "not":
      return conjunction([node], column);
  }
}

/**
 * FTS5's NOT is binary (`a NOT b`), so the negated children of an AND are subtracted from the
 * AND of the others: `a -b c -d` is `(a AND c) NOT (b OR d)`. With nothing to subtract from, as
 * in `-spam`, the left side is the token every row carries.
 */
function conjunction(children: SearchNode[], column: string | null): string {
  const positives: string[] = [];
  const negatives: string[] = [];
  for (const child of children) {
    if (child.type === "not") negatives.push(compile(child.child, column));
    else positives.push(compile(child, column));
  }
  const base = positives.length === 0 ? quote(ALL_ROWS_TOKEN) : joined(positives, "AND");
  return negatives.length === 0 ? base : `(${base} NOT ${joined(negatives, "OR")})`;
}

function joined(parts: string[], operator: "AND" | "OR"): string {
  return parts.length === 1 ? (parts[0] ?? "") : `(${parts.join(` ${operator} `)})`;
}

function scoped(column: string | null, expr: string): string {
  return column === null ? expr : `{${column}} : ${expr}`;
}

/** An unsearchable text (parseSearch never yields one) becomes `""`, which matches nothing. */
function ftsString(text: string, prefix: boolean): string {
  const quoted = quote(queryText(text, prefix) ?? "");
  return prefix ? `${quoted} *` : quoted;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
