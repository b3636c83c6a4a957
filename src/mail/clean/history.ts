import type { DomDocument, DomElement } from "./dom.ts";

/**
 * What each mail client wraps around the quoted reply, the forwarded message and the signature
 * in the HTML it writes, so that only the new text remains.
 */

/** Removed with everything inside. */
const REMOVED = [
  // Gmail: the attribution line and the quote, forwarded messages, the signature.
  ".gmail_quote",
  ".gmail_quote_container",
  ".gmail_extra",
  ".gmail_signature",
  ".gmail_signature_prefix",
  '[data-smartmail="gmail_signature"]',
  // Apple Mail and Thunderbird quote with <blockquote type="cite">.
  'blockquote[type="cite"]',
  // Thunderbird: "On … wrote:", the signature, a forwarded message.
  ".moz-cite-prefix",
  ".moz-signature",
  ".moz-forward-container",
  // Outlook on the web and new Outlook: the signature.
  "#Signature",
  "#signature",
  // Yahoo and AOL.
  ".yahoo_quoted",
  "#AppleMailSignature",
];

/** Removed with every sibling after them (and after their ancestors): Outlook's reply header. */
const CUT_FROM = ["#appendonsend", "#divRplyFwdMsg", "#mail-editor-reference-message-container"];

/** Outlook desktop (Word HTML) starts the quoted message with a top-bordered block holding "From:". */
const OUTLOOK_DESKTOP_HEADER = /border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)/i;

/** "On Tue, Mar 4, 2025 at 10:12 AM Bob <bob@example.com> wrote:" and its translations. */
const ATTRIBUTION =
  /^\s*(on|le|am|el|il|op)\b[\s\S]{0,300}(wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:\s*$/i;

export function removeHistory(document: DomDocument): void {
  for (const selector of CUT_FROM) {
    const marker = document.querySelector(selector);
    if (marker) cutFrom(marker);
  }
  for (const div of [...document.querySelectorAll("div")]) {
    if (
      div.isConnected &&
      OUTLOOK_DESKTOP_HEADER.test(div.getAttribute("style") ?? "") &&
      /From:/.test(div.textContent ?? "")
    ) {
      cutFrom(div);
    }
  }
  for (const element of [...document.querySelectorAll(REMOVED.join(","))]) {
    if (!element.isConnected) continue;
    removeAttribution(element);
    element.remove();
  }
}

/** Removes `element` and everything after it in document order. */
function cutFrom(element: DomElement): void {
  let node: DomElement | null = element;
  while (node && node.nodeName !== "BODY") {
    while (node.nextSibling) node.nextSibling.remove();
    const parent: DomElement | null = node.parentElement;
    if (node === element) node.remove();
    node = parent;
  }
}

/** Apple Mail (older) and others put "On … wrote:" just before the quote, outside it. */
function removeAttribution(quote: DomElement): void {
  let previous = quote.previousSibling;
  while (previous && previous.nodeType !== 1 && !(previous.textContent ?? "").trim())
    previous = previous.previousSibling;
  if (!previous) return;
  if (previous.nodeName === "BR") {
    const before = previous.previousSibling;
    previous.remove();
    previous = before;
  }
  if (previous && ATTRIBUTION.test(previous.textContent ?? "")) previous.remove();
}
