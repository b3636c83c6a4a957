import { extractCodes } from "./codes.ts";
import { type ExtractedLink, extractLinks } from "./links.ts";

export type { ExtractedLink } from "./links.ts";

export interface Extracted {
  codes: string[];
  links: ExtractedLink[];
}

// Extraction is linear in the input; this only bounds the time a giant message can take.
const MAX_CHARS = 1_000_000;

/** What an agent looks for in a message without reading it: one-time codes and links. */
export function extract(text: string | null, html: string | null): Extracted {
  const plain = (text ?? "").slice(0, MAX_CHARS);
  const markup = html?.slice(0, MAX_CHARS) ?? null;
  return { codes: extractCodes(plain, markup), links: extractLinks(plain, markup) };
}
