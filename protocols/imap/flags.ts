/** Flag lists from clients (STORE, APPEND) into the actor's Flags. */

import type { Flags } from "../../src/domain/flags.ts";
import { BadArgs } from "./args.ts";
import type { Token } from "./parser.ts";

const SYSTEM: Record<string, keyof Omit<Flags, "keywords">> = {
  "\\SEEN": "seen",
  "\\ANSWERED": "answered",
  "\\FLAGGED": "flagged",
  "\\DELETED": "deleted",
  "\\DRAFT": "draft",
};

/** atom chars (RFC 3501 ATOM-CHAR): printable ASCII except ( ) { SP % * " \ ] */
const KEYWORD = /^[!#$&'+,\-./0-9:;<=>?@A-Z[^_`a-z|}~]+$/;

/**
 * A flag list (or, for STORE, flags without parentheses) as Flags. \Recent cannot be set and is
 * ignored; an unknown system flag (\Foo) is an error; keywords are atoms and kept as given.
 */
export function parseFlags(tokens: Token[]): Partial<Flags> & { keywords: string[] } {
  const out: Partial<Flags> & { keywords: string[] } = { keywords: [] };
  for (const t of tokens) {
    if (t.kind !== "atom") throw new BadArgs("flags must be atoms");
    const upper = t.value.toUpperCase();
    const system = SYSTEM[upper];
    if (system) {
      out[system] = true;
      continue;
    }
    if (upper === "\\RECENT") continue;
    if (t.value.startsWith("\\")) throw new BadArgs(`unknown system flag ${t.value.slice(0, 40)}`);
    if (!KEYWORD.test(t.value) || t.value.length > 100) throw new BadArgs("invalid keyword");
    if (!out.keywords.some((k) => k.toLowerCase() === t.value.toLowerCase())) out.keywords.push(t.value);
  }
  return out;
}
