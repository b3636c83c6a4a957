/**
 * IMAP sequence sets (RFC 3501 §9 `sequence-set`): "1:4,7,9:*". `*` is the largest number in use
 * (the last sequence number, or the highest UID); "n:m" is the same range as "m:n".
 */

/** `Infinity` stands for `*`. */
export type SequenceRange = [number, number];
export type SequenceSet = SequenceRange[];

const STAR = Number.POSITIVE_INFINITY;
const NUMBER = /^[1-9]\d{0,9}$/;
const MAX = 0xffffffff;

/** Parses a sequence set; null when it is not one. `$` (SEARCHRES) is not supported. */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === "") return null;
  const ranges: SequenceSet = [];
  for (const part of text.split(",")) {
    const colon = part.indexOf(":");
    if (colon < 0) {
      const n = seqNumber(part);
      if (n === null) return null;
      ranges.push([n, n]);
      continue;
    }
    const a = seqNumber(part.slice(0, colon));
    const b = seqNumber(part.slice(colon + 1));
    if (a === null || b === null) return null;
    ranges.push(a <= b ? [a, b] : [b, a]);
  }
  return ranges;
}

function seqNumber(s: string): number | null {
  if (s === "*") return STAR;
  if (!NUMBER.test(s)) return null;
  const n = Number(s);
  return n <= MAX ? n : null;
}

/**
 * The sequence numbers 1..count the set designates, ascending and distinct. Returns null when a
 * number is out of range (RFC 3501: an error), or when `*` is used on an empty mailbox.
 */
export function resolveSequenceNumbers(set: SequenceSet, count: number): number[] | null {
  const picked = new Uint8Array(count + 1);
  for (const [a0, b0] of set) {
    const a = a0 === STAR ? count : a0;
    const b = b0 === STAR ? count : b0;
    if (a < 1 || b < 1 || a > count || b > count) return null;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (let i = lo; i <= hi; i++) picked[i] = 1;
  }
  const out: number[] = [];
  for (let i = 1; i <= count; i++) if (picked[i]) out.push(i);
  return out;
}

/**
 * The UIDs of `uids` (ascending) that the set designates. `*` is the highest UID; a range
 * reaching past it includes it ("n:*" with n above every UID still names the last message).
 */
export function resolveUids(set: SequenceSet, uids: readonly number[]): number[] {
  if (uids.length === 0) return [];
  const max = uids[uids.length - 1] as number;
  const ranges = set.map(([a, b]): SequenceRange => {
    const lo = a === STAR ? max : a;
    const hi = b === STAR ? max : b;
    return lo <= hi ? [lo, hi] : [hi, lo];
  });
  ranges.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  let r = 0;
  for (const uid of uids) {
    while (r < ranges.length && (ranges[r] as SequenceRange)[1] < uid) r++;
    if (r === ranges.length) break;
    // Ranges are sorted by start; a later one may still cover uid when an earlier one ended.
    for (let k = r; k < ranges.length && (ranges[k] as SequenceRange)[0] <= uid; k++) {
      if ((ranges[k] as SequenceRange)[1] >= uid) {
        out.push(uid);
        break;
      }
    }
  }
  return out;
}

/** Whether `n` is in the set, `*` being `max`. */
export function inSet(set: SequenceSet, n: number, max: number): boolean {
  for (const [a, b] of set) {
    const lo = a === STAR ? max : a;
    const hi = b === STAR ? max : b;
    if (n >= Math.min(lo, hi) && n <= Math.max(lo, hi)) return true;
  }
  return false;
}

/** Ascending distinct numbers as a compact set: [1,2,3,5] → "1:3,5". Empty → "". */
export function formatSequenceSet(numbers: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    const start = numbers[i] as number;
    let end = start;
    while (i + 1 < numbers.length && numbers[i + 1] === end + 1) {
      end += 1;
      i += 1;
    }
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i += 1;
  }
  return parts.join(",");
}
