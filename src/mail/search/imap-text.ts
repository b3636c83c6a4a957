/**
 * What IMAP SEARCH TEXT and BODY look into (RFC 3501 §6.4.4: substrings, case-insensitive): the
 * header and the body of a message as text. The header is the top-level fields, unfolded, with
 * encoded-words decoded; the body is every text part at any depth, an attached message/rfc822
 * included (its header too: it is body text of the outer message), transfer- and charset-decoded.
 * Both are folded (lower case, no diacritics, whitespace runs as one space), and so is a query
 * (imapSearchNeedle), so a substring test on the two agrees with itself.
 */
import { isAscii } from "../ascii.ts";
import { binaryToText, decodeHeaderText } from "../header-decode.ts";
import type { MimeNode } from "../mime-tree.ts";
import { decodeText } from "../parse-message.ts";

export interface ImapSearchText {
  header: string;
  body: string;
}

/** Text beyond this many characters (header or body) is not searched: bounds the stored text. */
export const MAX_SEARCH_TEXT_CHARS = 1_000_000;

export function imapSearchText(raw: Uint8Array, tree: MimeNode): ImapSearchText {
  const body: string[] = [];
  let length = 0;
  const add = (text: string) => {
    if (length >= MAX_SEARCH_TEXT_CHARS) return;
    body.push(text);
    length += text.length;
  };
  const visit = (node: MimeNode, depth: number) => {
    if (depth > 100) return;
    if (node.message) {
      add(headerText(node.message));
      visit(node.message, depth + 1);
    } else if (node.contentType.type === "multipart") {
      for (const child of node.children) visit(child, depth + 1);
    } else if (node.contentType.type === "text" || (node.contentType.type === "message" && !node.message)) {
      add(decodeText(raw, node, node.contentType.params?.charset));
    }
  };
  visit(tree, 0);
  return {
    header: normalize(headerText(tree)),
    body: normalize(body.join("\n")),
  };
}

/**
 * A SEARCH string in the form imapSearchText stores: lower case, compatibility-decomposed
 * without combining marks ("Résumé" finds "resume"), whitespace runs as one space.
 */
export function imapSearchNeedle(value: string): string {
  const folded = value.toLowerCase().replace(/\s+/g, " ");
  return isAscii(folded) ? folded : folded.normalize("NFKD").replace(/\p{M}/gu, "");
}

function headerText(node: MimeNode): string {
  return node.headers
    .filter((f) => f.name !== "")
    .map((f) => `${f.name}: ${f.value.includes("=?") ? decodeHeaderText(f.value) : binaryToText(f.value)}`)
    .join("\n");
}

function normalize(text: string): string {
  return imapSearchNeedle(text.length > MAX_SEARCH_TEXT_CHARS ? text.slice(0, MAX_SEARCH_TEXT_CHARS) : text);
}
