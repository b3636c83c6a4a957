/**
 * Code-shaped tokens in one line of text. Whether a token is near a code keyword is decided by
 * codes.ts; non-codes.ts rules out what only looks like a code.
 */
import { FILLER, labelledAsOtherNumber, maskNonCodes, yearsIn } from "./non-codes.ts";

export interface Candidate {
  /** Offsets in the line. */
  start: number;
  end: number;
  /** The code with group separators removed. */
  value: string;
}

interface Run {
  start: number;
  end: number;
  text: string;
  /** Only capitals and digits: can be (part of) a code. */
  isGroup: boolean;
}

/** 4–10 characters: all digits, or upper-case letters and digits with at least one digit. */
function isCodeValue(value: string): boolean {
  return /^[A-Z0-9]{4,10}$/.test(value) && /\d/.test(value);
}

export function codeCandidates(line: string): Candidate[] {
  // Masking only ever removes candidates, and most lines have none to begin with.
  if (tokenCandidates(line).length === 0) return [];
  const isYear = yearsIn(line);
  return tokenCandidates(maskNonCodes(line)).filter(
    (c) => !labelledAsOtherNumber(line, c.start) && !isYear(c.value, c.start),
  );
}

function tokenCandidates(line: string): Candidate[] {
  return groupChains(asciiRuns(line), line).flatMap(chainCandidates);
}

/** Maximal runs of ASCII letters and digits; a loop, as this runs on every line near a keyword. */
function asciiRuns(line: string): Run[] {
  const runs: Run[] = [];
  let start = -1;
  let isGroup = true;
  for (let i = 0; i <= line.length; i++) {
    const code = i < line.length ? line.charCodeAt(i) : 0;
    const digitOrCapital = (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
    const alnum = digitOrCapital || (code >= 97 && code <= 122);
    if (alnum && start < 0) {
      start = i;
      isGroup = true;
    }
    if (alnum) isGroup &&= digitOrCapital;
    else if (start >= 0) {
      runs.push({ start, end: i, text: line.slice(start, i), isGroup });
      start = -1;
    }
  }
  return runs;
}

const isWord = (run: Run | undefined) => run !== undefined && /^[A-Z]+$/.test(run.text);
const isNumber = (run: Run) => /^\d+$/.test(run.text);

interface Chain {
  runs: Run[];
  separator: string;
}

/** Upper-case/digit groups joined by one repeated separator ("483 921", "K7P-4QX"), with clean edges. */
function groupChains(runs: Run[], line: string): Chain[] {
  const chains: Chain[] = [];
  let chain: Chain | undefined;
  for (const run of runs) {
    const last = chain?.runs[chain.runs.length - 1];
    const gap = last ? line.slice(last.end, run.start) : "";
    const joins = chain && last?.isGroup && run.isGroup && (gap === " " || gap === "-");
    if (chain && joins && (chain.runs.length === 1 || gap === chain.separator)) {
      chain.runs.push(run);
      chain.separator = gap;
    } else {
      chain = { runs: [run], separator: "" };
      chains.push(chain);
    }
  }
  return chains.filter((c) => c.runs.every((run) => run.isGroup) && cleanEdges(c.runs, line));
}

function cleanEdges(runs: Run[], line: string): boolean {
  const first = runs[0];
  const last = runs[runs.length - 1];
  return (
    first !== undefined && last !== undefined && cleanBefore(line, first.start) && cleanAfter(line, last.end)
  );
}

/**
 * Capitals words around a spaced code are prose ("CODE 483 921", "483921 IS YOUR CODE"); before
 * a dashed number they are a sender prefix ("FB-12345", "ACME-7731"). "K7P-4QX" stays whole.
 */
function withoutWords({ runs, separator }: Chain): Run[] {
  let from = 0;
  while (from < runs.length && isWord(runs[from])) from++;
  if (separator === "-") return runs.slice(from).every(isNumber) ? runs.slice(from) : runs;
  let to = runs.length;
  while (to > from && isWord(runs[to - 1])) to--;
  return runs.slice(from, to);
}

function chainCandidates(chain: Chain): Candidate[] {
  const runs = withoutWords(chain);
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last) return [];
  const value = runs.map((run) => run.text).join("");
  const groupsFit = runs.length === 1 || runs.every((run) => run.text.length >= 2 && run.text.length <= 5);
  if (groupsFit && isCodeValue(value)) return [{ start: first.start, end: last.end, value }];
  // Longer than a code when joined: a card, IBAN, tracking or phone number written in groups.
  if (value.length > 10) return [];
  // "G-483921": a prefix that does not belong to the code.
  return runs
    .filter((run) => isCodeValue(run.text))
    .map((run) => ({ start: run.start, end: run.end, value: run.text }));
}

const FOREIGN_LETTER = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u;
const ALNUM = /[A-Za-z0-9]/;

function cleanBefore(line: string, at: number): boolean {
  const char = line[at - 1];
  if (char === undefined) return true;
  const previous = line[at - 2] ?? "";
  if (char === FILLER || /[$€£¥₹₽#@/\\_&=+%~^〒№]/.test(char) || FOREIGN_LETTER.test(char)) return false;
  return !joinsNumber(char, previous);
}

function cleanAfter(line: string, at: number): boolean {
  const char = line[at];
  if (char === undefined) return true;
  const next = line[at + 1] ?? "";
  if (char === FILLER || /[%$€£¥₹₽@/\\_&=°]/.test(char) || FOREIGN_LETTER.test(char)) return false;
  return !joinsNumber(char, next);
}

/** "1.234", "v2.4839", "16:9", "ref-4839", "***-0100": the token continues past the punctuation. */
function joinsNumber(punctuation: string, neighbour: string): boolean {
  if (punctuation === ":") return /\d/.test(neighbour);
  if (punctuation === "-") return /[A-Za-z0-9*•]/.test(neighbour);
  return /[.,]/.test(punctuation) && ALNUM.test(neighbour);
}

const DECORATION_ONLY = /^[\s*_"'“”„«»「」『』【】[\]()<>:：.!。>|-]*$/;
const SPACED_CHARACTERS = /^[^A-Za-z0-9]*([A-Z0-9](?: [A-Z0-9]){3,9})[^A-Za-z0-9]*$/;

/** A line that holds nothing but a code ("  483 921", "**K7P-4QX**", "4 8 3 9 2 1"). */
export function standaloneCode(line: string): Candidate | undefined {
  if (line.length > 60) return undefined; // a line of prose, not a code set apart
  const spaced = SPACED_CHARACTERS.exec(line);
  if (spaced?.[1]) {
    const value = spaced[1].replaceAll(" ", "");
    const start = line.indexOf(spaced[1]);
    return isCodeValue(value) ? { start, end: start + spaced[1].length, value } : undefined;
  }
  const candidates = codeCandidates(line);
  const only = candidates[0];
  if (candidates.length !== 1 || !only) return undefined;
  return DECORATION_ONLY.test(line.slice(0, only.start) + line.slice(only.end)) ? only : undefined;
}
