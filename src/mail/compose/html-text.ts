import { decodeEntities, htmlToText, inlineText } from "../extract/html.ts";

/**
 * The text/plain alternative sent beside an HTML body: the visible text, with each link's target
 * kept as "label (url)" so a text-only reader can still follow it.
 */
const LINK = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;

export function textAlternative(html: string): string {
  const withUrls = html.replace(LINK, (_whole, dq?: string, sq?: string, bare?: string, inner = "") =>
    linkText(decodeEntities((dq ?? sq ?? bare ?? "").trim()), inner),
  );
  return htmlToText(withUrls);
}

function linkText(url: string, innerHtml: string): string {
  const label = inlineText(innerHtml);
  if (url === "" || url.startsWith("#") || /^javascript:/i.test(url)) return innerHtml;
  const shown = url.replace(/^mailto:/i, "");
  if (label === "") return escapeText(shown);
  if (label === shown || label === url) return escapeText(label);
  return `${innerHtml} (${escapeText(shown)})`;
}

// The result is fed back through htmlToText, which would read "<" as a tag and decode "&".
function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
