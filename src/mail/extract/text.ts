/** Text clean-up shared by the extractors. */
import { isAscii } from "../ascii.ts";

const INVISIBLE_CHARS = /\u034f|[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const WIDE_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;

/** Zero-width characters removed and exotic spaces (no-break, ideographic …) made plain. */
export function plainSpaces(text: string): string {
  return isAscii(text) ? text : text.replace(INVISIBLE_CHARS, "").replace(WIDE_SPACES, " ");
}

export function collapseSpaces(text: string): string {
  return plainSpaces(text).replace(/\s+/g, " ").trim();
}

/**
 * Lower case with every offset kept, so matches in it apply to the original ("İ" alone would
 * grow into two characters). Searching lower-cased text with case-sensitive regexes is several
 * times faster than a case-insensitive regex with non-ASCII alternatives.
 */
export function lowerCase(text: string): string {
  return text.replace(/İ/g, "I").toLowerCase();
}
