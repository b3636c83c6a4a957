/** FETCH attributes (RFC 3501 §6.4.5, RFC 7162 MODSEQ) and modifiers (CHANGEDSINCE, VANISHED). */
import { parseSectionSpec, type SectionSpec } from "../../src/mail/sections.ts";
import { type Args, BadArgs } from "./args.ts";
import type { Token } from "./parser.ts";

export type FetchItem =
  | {
      kind:
        | "UID"
        | "FLAGS"
        | "INTERNALDATE"
        | "RFC822.SIZE"
        | "ENVELOPE"
        | "BODYSTRUCTURE"
        | "BODY"
        | "MODSEQ";
    }
  | { kind: "RFC822" | "RFC822.HEADER" | "RFC822.TEXT" }
  | {
      kind: "SECTION";
      peek: boolean;
      spec: SectionSpec;
      /** The section text as the client wrote it, echoed in the response. */
      label: string;
      partial: { start: number; length: number | undefined } | null;
    }
  | {
      /** BINARY[…] and BINARY.PEEK[…] (RFC 3516): the section with its transfer encoding undone. */
      kind: "BINARY";
      peek: boolean;
      spec: SectionSpec;
      label: string;
      partial: { start: number; length: number | undefined } | null;
    }
  | { kind: "BINARY.SIZE"; spec: SectionSpec; label: string };

export interface FetchRequest {
  items: FetchItem[];
  changedSince?: number;
  vanished: boolean;
}

const MACROS: Record<string, FetchItem["kind"][]> = {
  ALL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
  FAST: ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
  FULL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"],
};

const SIMPLE = new Set([
  "UID",
  "FLAGS",
  "INTERNALDATE",
  "RFC822.SIZE",
  "ENVELOPE",
  "BODYSTRUCTURE",
  "BODY",
  "MODSEQ",
  "RFC822",
  "RFC822.HEADER",
  "RFC822.TEXT",
]);

export function parseFetchRequest(args: Args): FetchRequest {
  const first = args.next("fetch attributes");
  let items: FetchItem[];
  if (first.kind === "atom" && MACROS[first.value.toUpperCase()]) {
    items = (MACROS[first.value.toUpperCase()] ?? []).map((kind) => ({ kind }) as FetchItem);
  } else if (first.kind === "list") {
    if (first.items.length === 0) throw new BadArgs("empty fetch attribute list");
    items = first.items.map(fetchItem);
  } else {
    items = [fetchItem(first)];
  }
  const request: FetchRequest = { items, vanished: false };
  const modifiers = args.takeList();
  if (modifiers) parseModifiers(modifiers, request);
  args.end();
  return request;
}

function fetchItem(t: Token): FetchItem {
  if (t.kind === "atom") {
    const name = t.value.toUpperCase();
    if (SIMPLE.has(name)) return { kind: name } as FetchItem;
    throw new BadArgs(`unknown fetch attribute ${t.value.slice(0, 40)}`);
  }
  if (t.kind === "section") {
    const spec = parseSectionSpec(t.section);
    if (!spec) throw new BadArgs(`invalid section [${t.section.slice(0, 60)}]`);
    const label = t.section.trim();
    // BINARY.SIZE takes no partial; Dovecot ignores one, and so does this.
    if (t.name === "BINARY.SIZE") return { kind: "BINARY.SIZE", spec, label };
    const kind = t.name.startsWith("BINARY") ? "BINARY" : "SECTION";
    return { kind, peek: t.name.endsWith(".PEEK"), spec, label, partial: t.partial };
  }
  throw new BadArgs("invalid fetch attribute");
}

function parseModifiers(tokens: Token[], request: FetchRequest): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const name = t?.kind === "atom" ? t.value.toUpperCase() : "";
    if (name === "CHANGEDSINCE") {
      const v = tokens[++i];
      if (v?.kind !== "atom" || !/^\d{1,19}$/.test(v.value))
        throw new BadArgs("CHANGEDSINCE needs a mod-sequence");
      request.changedSince = Number(v.value);
    } else if (name === "VANISHED") {
      request.vanished = true;
    } else {
      throw new BadArgs("unknown fetch modifier");
    }
  }
  if (request.vanished && request.changedSince === undefined)
    throw new BadArgs("VANISHED needs CHANGEDSINCE");
}

/** Reading these marks the message \Seen (unless the mailbox is read-only). */
export function setsSeen(item: FetchItem): boolean {
  return (
    ((item.kind === "SECTION" || item.kind === "BINARY") && !item.peek) ||
    item.kind === "RFC822" ||
    item.kind === "RFC822.TEXT"
  );
}
