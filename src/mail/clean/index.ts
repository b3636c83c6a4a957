import EmailReplyParser from "email-reply-parser";
import { parseHTML } from "linkedom";
import { removeConclusion, startsWithClosing } from "./conclusion.ts";
import { toText } from "./convert.ts";
import type { DomDocument } from "./dom.ts";
import { removeHistory } from "./history.ts";
import { type CleanOptions, DEFAULT_CLEAN_OPTIONS } from "./options.ts";

export { type CleanOptions, DEFAULT_CLEAN_OPTIONS } from "./options.ts";

/** Plain-text history markers the HTML walk leaves (messages written as text, forwards). */
const FORWARD_MARKERS = [
  /^-{5,} ?Forwarded message ?-{5,}/im,
  /^-{5,} ?Original Message ?-{5,}/im,
  /^Begin forwarded message:/im,
  /^-{3,} ?Forwarded Message ?-{3,}/im,
  // Outlook's header block as text: "From: …" then "Sent: …" (or "Date:") within two lines.
  /^\*{0,2}From:\*{0,2} .*\n(?:.*\n)?\*{0,2}(Sent|Date):\*{0,2} /im,
  /^_{20,}\s*$/m,
];

/**
 * A message's body as text ready for a model: without the quoted replies, the forwarded history
 * and the signature, as plain text or Markdown (Nylas's `conversation`).
 */
export function cleanConversation(html: string, options: CleanOptions = DEFAULT_CLEAN_OPTIONS): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as {
    document: DomDocument;
  };
  removeHistory(document);
  let text = tidy(toText(document.body.innerHTML, options));
  text = cutAtForward(text);
  text = tidy(withoutQuotes(text, !options.removeConclusionPhrases));
  if (options.removeConclusionPhrases) {
    const shorter = removeConclusion(text);
    if (shorter.trim()) text = shorter;
  }
  return tidy(text);
}

/**
 * email-reply-parser's visible text (quoted history and signatures at the end go), except that a
 * closing it took for a signature ("Best regards," + name) stays when `keepClosing`.
 */
function withoutQuotes(text: string, keepClosing: boolean): string {
  const fragments = new EmailReplyParser().read(text.replace(/\n/g, "\r\n")).getFragments();
  const kept: string[] = [];
  for (const fragment of fragments) {
    const content = fragment.getContent().replace(/\r\n/g, "\n");
    if (!fragment.isHidden()) kept.push(content);
    else if (fragment.isSignature() && keepClosing && startsWithClosing(content)) {
      kept.push(content.split(/\n-- ?\n|\n--\s*$/)[0] ?? "");
    }
  }
  return kept.join("\n");
}

function cutAtForward(text: string): string {
  let cut = text.length;
  for (const marker of FORWARD_MARKERS) {
    const match = marker.exec(text);
    if (match && match.index < cut) cut = match.index;
  }
  // A message that is nothing but a forward keeps it: there is nothing else to show.
  return text.slice(0, cut).trim() ? text.slice(0, cut) : text;
}

/** No trailing spaces, no more than one blank line in a row, no blank lines around the text. */
function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
