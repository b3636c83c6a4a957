import { decodeEntities, inlineText, visibleHtml } from "./html.ts";
import { collapseSpaces } from "./text.ts";

export interface ExtractedLink {
  url: string;
  text: string;
}

/**
 * Every http(s) link in a message: the HTML's anchors first, in document order, then URLs that
 * only the plain text has. Each URL appears once; a later occurrence only lends its text to an
 * earlier one that had none (a logo linking to the same page as a "Verify" button).
 */
export function extractLinks(text: string, html?: string | null): ExtractedLink[] {
  const byUrl = new Map<string, ExtractedLink>();
  const add = (link: ExtractedLink) => {
    const seen = byUrl.get(link.url);
    if (!seen) byUrl.set(link.url, link);
    else if (seen.text === "") seen.text = link.text;
  };
  if (html) htmlLinks(html).forEach(add);
  if (text) textLinks(text).forEach(add);
  return [...byUrl.values()];
}

// Opening (with its attributes) or closing; paired up in code, in one linear pass.
const ANCHOR_TAG = /<a\b([^<>]*)>|<\/a\s*>/gi;
const IMAGE = /<img\b([^<>]*)>/gi;
const attributePattern = (name: string) =>
  new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i");
const HREF = attributePattern("href");
const TITLE = attributePattern("title");
const ALT = attributePattern("alt");

function htmlLinks(html: string): ExtractedLink[] {
  const visible = visibleHtml(html);
  const links: ExtractedLink[] = [];
  let open: { attrs: string; end: number } | undefined;
  for (const tag of visible.matchAll(ANCHOR_TAG)) {
    const attrs = tag[1];
    if (attrs !== undefined) {
      open = { attrs, end: tag.index + tag[0].length }; // an unclosed <a> ends at the next one
      continue;
    }
    if (!open) continue;
    const url = httpUrl(decodeEntities(attribute(open.attrs, HREF)));
    if (url) links.push({ url, text: anchorText(open.attrs, visible.slice(open.end, tag.index)) });
    open = undefined;
  }
  return links;
}

function anchorText(attrs: string, inner: string): string {
  const visible = inlineText(inner);
  if (visible) return visible;
  for (const [, imageAttrs = ""] of inner.matchAll(IMAGE)) {
    const alt = collapseSpaces(decodeEntities(attribute(imageAttrs, ALT)));
    if (alt) return alt;
  }
  return collapseSpaces(decodeEntities(attribute(attrs, TITLE)));
}

function attribute(attrs: string, pattern: RegExp): string {
  const match = pattern.exec(attrs);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : "";
}

/** The URL if it is an absolute http(s) one; mailto:, tel:, cid:, #fragment and the like are not links to follow. */
function httpUrl(href: string): string | null {
  const url = href.replace(/[\t\r\n]/g, "").trim();
  return /^https?:\/\/[^\s/]/i.test(url) ? url : null;
}

// RFC 3986 characters minus quotes, brackets and <>: those delimit URLs in prose.
const TEXT_URL = /https?:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%()]+/gi;

function textLinks(text: string): ExtractedLink[] {
  if (!text.includes("://")) return [];
  const lines = text.split(/\r?\n/);
  const links: ExtractedLink[] = [];
  lines.forEach((line, i) => {
    if (!line.includes("://")) return;
    for (const match of line.matchAll(TEXT_URL)) {
      const url = trimUrl(match[0]);
      const start = match.index;
      links.push({ url, text: textLabel(line, start, start + url.length, lines, i) });
    }
  });
  return links;
}

/** Drops punctuation that ends the sentence around a URL rather than the URL itself. */
function trimUrl(url: string): string {
  let unbalanced = count(url, ")") - count(url, "(");
  let end = url.length;
  for (;;) {
    const last = url[end - 1] ?? "";
    if (".,;:!?*_'\"".includes(last)) end--;
    else if (last === ")" && unbalanced > 0) {
      end--;
      unbalanced--;
    } else return url.slice(0, end);
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/**
 * A plain-text URL's label when the layout makes it unambiguous: `[label](url)`,
 * `label: url`, or a URL alone on its line under a short line ending in a colon.
 */
function textLabel(line: string, start: number, end: number, lines: string[], lineIndex: number): string {
  // Labels are short: looking no further keeps a line of a thousand URLs linear.
  const before = line.slice(Math.max(0, start - 200), start);
  const markdown = /\[([^\]]+)\]\($/.exec(before);
  if (markdown?.[1]) return collapseSpaces(markdown[1]);
  if (start > 200 || line.length - end > 8 || !/^[\s>).,;!?]*$/.test(line.slice(end))) return "";
  const colon = /^\s*(?:[-*•]\s+)?([^:：]{1,80}?)\s*[:：]\s*<?$/.exec(before);
  if (colon?.[1]) return labelOf(colon[1]);
  if (before.trim() === "" || before.trim() === "<") return previousLineLabel(lines, lineIndex);
  return "";
}

function previousLineLabel(lines: string[], lineIndex: number): string {
  for (let i = lineIndex - 1; i >= 0; i--) {
    const line = lines[i]?.trim() ?? "";
    if (line === "") continue;
    const colon = /^(?:[-*•]\s+)?(.{1,80}?)\s*[:：]$/.exec(line);
    return colon?.[1] ? labelOf(colon[1]) : "";
  }
  return "";
}

function labelOf(raw: string): string {
  const label = collapseSpaces(raw);
  return /https?:\/\//i.test(label) ? "" : label;
}
