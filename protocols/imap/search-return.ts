/**
 * The RETURN options of SEARCH and SORT — ESEARCH (RFC 4731): MIN, MAX, ALL, COUNT; ESORT and
 * CONTEXT (RFC 5267): PARTIAL, UPDATE, CONTEXT — and the ESEARCH response that answers them.
 * MIN and MAX of a SORT are its first and last message in sort order; ALL and PARTIAL keep that
 * order (runs of consecutive numbers joined, as Dovecot writes them: 5,3:4,2).
 */
import { type Args, BadArgs } from "./args.ts";
import { quote } from "./encode.ts";
import { formatSequenceSet } from "./sequence.ts";

export interface ReturnOptions {
  min: boolean;
  max: boolean;
  all: boolean;
  count: boolean;
  /** PARTIAL lo:hi, 1-based positions in the result, lo <= hi. */
  partial: [number, number] | null;
  /** CONTEXT: keep the result up to date with ADDTO / REMOVEFROM until CANCELUPDATE. */
  update: boolean;
}

/** `RETURN (…)` when present (consumed), else null: the command answers * SEARCH / * SORT. */
export function parseReturnOptions(args: Args): ReturnOptions | null {
  if (!args.takeAtom("RETURN")) return null;
  const opts: ReturnOptions = {
    min: false,
    max: false,
    all: false,
    count: false,
    partial: null,
    update: false,
  };
  const items = args.list("return options");
  for (let i = 0; i < items.length; i++) {
    const t = items[i];
    const name = t?.kind === "atom" ? t.value.toUpperCase() : "";
    if (name === "MIN" || name === "MAX" || name === "ALL" || name === "COUNT") {
      opts[name.toLowerCase() as "min" | "max" | "all" | "count"] = true;
    } else if (name === "PARTIAL") {
      if (opts.partial) throw new BadArgs("PARTIAL can be used only once");
      const range = items[++i];
      opts.partial = parsePartialRange(range?.kind === "atom" ? range.value : "");
    } else if (name === "UPDATE") {
      if (opts.update) throw new BadArgs("UPDATE can be used only once");
      opts.update = true;
    } else if (name !== "CONTEXT") {
      throw new BadArgs(`unsupported SEARCH return option ${name.slice(0, 20) || "(not an atom)"}`);
    }
  }
  if (opts.partial && opts.all) throw new BadArgs("PARTIAL conflicts with ALL");
  if (!opts.min && !opts.max && !opts.count && !opts.partial && !opts.update) opts.all = true;
  return opts;
}

/** `lo:hi` of two non-zero numbers, in either order; `*` is not allowed. */
function parsePartialRange(text: string): [number, number] {
  const m = /^([1-9]\d{0,9}):([1-9]\d{0,9})$/.exec(text);
  const a = Number(m?.[1]);
  const b = Number(m?.[2]);
  if (!m || a > 0xffffffff || b > 0xffffffff) throw new BadArgs("PARTIAL needs a range lo:hi of positions");
  return a <= b ? [a, b] : [b, a];
}

/**
 * `* ESEARCH (TAG "t") [UID] …` for `numbers` (message numbers or UIDs) in result order;
 * `modseq`: the MODSEQ a CONDSTORE search reports, or null.
 */
export function esearchResponse(
  tag: string,
  uid: boolean,
  numbers: readonly number[],
  opts: ReturnOptions,
  modseq: number | null,
): string {
  const parts = [`* ESEARCH (TAG ${quote(tag)})`];
  if (uid) parts.push("UID");
  if (numbers.length > 0) {
    if (opts.min) parts.push(`MIN ${numbers[0]}`);
    if (opts.max) parts.push(`MAX ${numbers[numbers.length - 1]}`);
    if (opts.all) parts.push(`ALL ${formatSequenceSet(numbers)}`);
  }
  if (opts.partial) {
    const [lo, hi] = opts.partial;
    const slice = numbers.slice(lo - 1, hi);
    parts.push(`PARTIAL (${lo}:${hi} ${slice.length > 0 ? formatSequenceSet(slice) : "NIL"})`);
  }
  if (opts.count) parts.push(`COUNT ${numbers.length}`);
  if (modseq !== null) parts.push(`MODSEQ ${modseq}`);
  return parts.join(" ");
}
