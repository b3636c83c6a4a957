import { extractCodes } from "./codes.ts";
import { type ExtractedLink, extractLinks } from "./links.ts";

export type { ExtractedLink } from "./links.ts";

export interface Extracted {
  codes: string[];
  links: ExtractedLink[];
}

/** What an agent looks for in a message without reading it: one-time codes and links. */
export function extract(text: string | null, html: string | null): Extracted {
  return { codes: extractCodes(text ?? "", html), links: extractLinks(text ?? "", html) };
}
