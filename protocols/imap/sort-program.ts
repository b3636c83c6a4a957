/**
 * SORT criteria (RFC 5256 §3, RFC 5957 DISPLAYFROM / DISPLAYTO): parsing `(REVERSE DATE SUBJECT)`
 * and ordering messages by it. Messages equal on every criterion keep mailbox order (RFC 5256:
 * REVERSE does not apply to that last resort).
 */
import { type OrderingRow, sentDate } from "../../src/mailbox/imap-ordering.ts";
import { BadArgs } from "./args.ts";
import type { Token } from "./parser.ts";

const KEYS = ["ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO", "DISPLAYFROM", "DISPLAYTO"] as const;
type SortKey = (typeof KEYS)[number];

export interface SortCriterion {
  key: SortKey;
  reverse: boolean;
}

/** A message to order: its number in the client's view and its row. */
export interface Sortable {
  seq: number;
  row: OrderingRow;
}

export function parseSortProgram(items: Token[]): SortCriterion[] {
  if (items.length === 0) throw new BadArgs("the sort criteria must not be empty");
  const program: SortCriterion[] = [];
  let reverse = false;
  for (const t of items) {
    const word = t.kind === "atom" ? t.value.toUpperCase() : "";
    if (word === "REVERSE") {
      reverse = !reverse;
      continue;
    }
    const key = KEYS.find((k) => k === word);
    if (!key) throw new BadArgs(`unknown sort criterion ${(t.kind === "atom" ? t.value : "").slice(0, 20)}`);
    // A key given twice adds nothing: the first one already decided every pair it can.
    if (!program.some((c) => c.key === key)) program.push({ key, reverse });
    reverse = false;
  }
  if (reverse) throw new BadArgs("the sort criteria end with REVERSE");
  return program;
}

/** Orders `items` in place by the program, then by message number. */
export function sortMessages(items: Sortable[], program: readonly SortCriterion[]): Sortable[] {
  const compares = program.map(({ key, reverse }) => {
    const compare = COMPARE[key];
    return reverse ? (a: OrderingRow, b: OrderingRow) => compare(b, a) : compare;
  });
  return items.sort((a, b) => {
    for (const compare of compares) {
      const d = compare(a.row, b.row);
      if (d !== 0) return d;
    }
    return a.seq - b.seq;
  });
}

type Compare = (a: OrderingRow, b: OrderingRow) => number;

const byText =
  (field: "subject" | "from" | "to" | "cc" | "displayFrom" | "displayTo"): Compare =>
  (a, b) =>
    a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0;

const COMPARE: Record<SortKey, Compare> = {
  ARRIVAL: (a, b) => a.internalDate - b.internalDate,
  DATE: (a, b) => sentDate(a) - sentDate(b),
  SIZE: (a, b) => a.size - b.size,
  SUBJECT: byText("subject"),
  FROM: byText("from"),
  TO: byText("to"),
  CC: byText("cc"),
  DISPLAYFROM: byText("displayFrom"),
  DISPLAYTO: byText("displayTo"),
};
