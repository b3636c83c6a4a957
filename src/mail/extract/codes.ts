import { isAscii } from "../ascii.ts";
import { type Candidate, codeCandidates, standaloneCode } from "./candidates.ts";
import { htmlToText } from "./html.ts";
import { keywordOffsets } from "./keywords.ts";
import { looksLikeAddress } from "./non-codes.ts";
import { plainSpaces } from "./text.ts";

/**
 * One-time codes (OTPs, verification and login codes) in a message, in order of appearance.
 * A code-shaped token counts only near a code keyword: in the keyword's sentence, else in the
 * sentence after it (possibly on the next non-empty line), else alone on one of the next lines.
 */
export function extractCodes(text: string, html?: string | null): string[] {
  const source = text.trim() !== "" ? text : html ? htmlToText(html) : "";
  return source === "" ? [] : new CodeScan(normalize(source)).codes();
}

/**
 * Invisible characters gone, full-width digits and letters (common in Japanese mail) as ASCII,
 * and Unicode hyphens as "-": HTML mail often keeps a code together with a non-breaking hyphen.
 */
function normalize(text: string): string {
  const wide = isAscii(text)
    ? text
    : plainSpaces(text)
        .replace(/[\u2010\u2011\u2212]/g, "-")
        .replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return wide.replace(/\r\n?/g, "\n").replace(/\t/g, " ");
}

interface Sentence {
  line: number;
  start: number;
  end: number;
}

interface Found {
  line: number;
  start: number;
  value: string;
}

const STANDALONE_LOOKAHEAD = 3;
// A sign-up mail has a handful of keywords; past this many, the rest is not worth the time.
const MAX_KEYWORD_HITS = 200;

class CodeScan {
  private readonly lines: string[];
  private readonly sentenceCache = new Map<number, Sentence[]>();
  private readonly candidateCache = new Map<number, Candidate[]>();
  /** The sentence around each keyword, in text order, each once. */
  private readonly keywordSentences = new Set<Sentence>();
  private readonly keywordLines = new Set<number>();

  constructor(text: string) {
    this.lines = text.split("\n");
    let line = 0;
    let lineStart = 0;
    for (const offset of keywordOffsets(text, MAX_KEYWORD_HITS)) {
      for (; lineStart + (this.lines[line]?.length ?? 0) < offset; line++)
        lineStart += (this.lines[line]?.length ?? 0) + 1;
      const sentence = this.sentencesOf(line).find((s) => offset - lineStart < s.end);
      if (sentence) this.keywordSentences.add(sentence);
      this.keywordLines.add(line);
    }
  }

  codes(): string[] {
    const found: Found[] = [];
    for (const sentence of this.keywordSentences) found.push(...this.codesNear(sentence, found.length === 0));
    return orderedUnique(found);
  }

  /**
   * Looking past the keyword's sentence only while nothing has been found: once the code is
   * known, sentences like "Never share this code." are warnings, and what follows them (a
   * support phone number) is not another code.
   */
  private codesNear(sentence: Sentence, lookPast: boolean): Found[] {
    const inSentence = this.candidatesIn(sentence);
    if (inSentence.length > 0 || !lookPast) return inSentence;
    const next = this.sentenceAfter(sentence);
    const inNext = next ? this.candidatesIn(next) : [];
    return inNext.length > 0 ? inNext : this.standaloneAfter(sentence.line);
  }

  private sentenceAfter(sentence: Sentence): Sentence | undefined {
    const sameLine = this.sentencesOf(sentence.line);
    const index = sameLine.indexOf(sentence);
    return sameLine[index + 1] ?? this.sentencesOf(this.nextNonEmptyLine(sentence.line))[0];
  }

  private candidatesIn(sentence: Sentence): Found[] {
    return this.lineCandidates(sentence.line)
      .filter((c) => c.start >= sentence.start && c.end <= sentence.end)
      .map((c) => ({ line: sentence.line, start: c.start, value: c.value }));
  }

  private lineCandidates(line: number): Candidate[] {
    let candidates = this.candidateCache.get(line);
    if (!candidates) {
      const text = this.lines[line] ?? "";
      const isAddress = !this.keywordLines.has(line) && looksLikeAddress(text);
      candidates = isAddress ? [] : codeCandidates(text);
      this.candidateCache.set(line, candidates);
    }
    return candidates;
  }

  private sentencesOf(line: number): Sentence[] {
    let sentences = this.sentenceCache.get(line);
    if (!sentences) {
      sentences = splitSentences(this.lines[line] ?? "", line);
      this.sentenceCache.set(line, sentences);
    }
    return sentences;
  }

  private nextNonEmptyLine(after: number): number {
    let line = after + 1;
    while (line < this.lines.length && this.lines[line]?.trim() === "") line++;
    return line;
  }

  private standaloneAfter(after: number): Found[] {
    let line = after;
    for (let seen = 0; seen < STANDALONE_LOOKAHEAD; seen++) {
      line = this.nextNonEmptyLine(line);
      const code = standaloneCode(this.lines[line] ?? "");
      if (code) return [{ line, start: code.start, value: code.value }];
    }
    return [];
  }
}

const SENTENCE_END = /[.!?](?=\s|$)|[。！？]/g;

function splitSentences(line: string, lineIndex: number): Sentence[] {
  if (line.trim() === "") return [];
  const sentences: Sentence[] = [];
  let start = 0;
  for (const match of line.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    sentences.push({ line: lineIndex, start, end });
    start = end;
  }
  if (line.slice(start).trim() !== "") sentences.push({ line: lineIndex, start, end: line.length });
  return sentences;
}

function orderedUnique(found: Found[]): string[] {
  const sorted = found.sort((a, b) => a.line - b.line || a.start - b.start);
  return [...new Set(sorted.map((f) => f.value))];
}
