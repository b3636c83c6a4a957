import { randomBytes } from "node:crypto";

/**
 * What a send's `tracking_options` ask, once validated, and what it takes to honour them: a
 * random token (in the pixel's and the redirects' URLs; unguessable, so nobody else can forge an
 * open), and the original URL of each link, by the index its redirect carries.
 */
export interface TrackingRequest {
  token: string;
  opens: boolean;
  links: boolean;
  threadReplies: boolean;
  label: string | null;
  linkUrls: string[];
}

export function newTrackingToken(): string {
  return randomBytes(16).toString("base64url");
}

/** The pixel's path and a link's redirect path, under the server's public URL. */
export const pixelPath = (token: string) => `/t/o/${token}.gif`;
export const redirectPath = (token: string, index: number) => `/t/l/${token}/${index}`;

const ANCHOR_HREF = /(<a\b[^>]*?\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi;

/**
 * Rewrites an HTML body for tracking: with `links`, every http(s) link goes through a redirect
 * (mailto:, anchors and the like stay as they are); with `opens`, a 1×1 image is added at the end
 * of the body. Returns the new HTML and the original URLs in redirect order.
 */
export function instrumentHtml(
  html: string,
  base: string,
  token: string,
  what: { opens: boolean; links: boolean },
): { html: string; linkUrls: string[] } {
  const linkUrls: string[] = [];
  let out = html;
  if (what.links) {
    out = out.replace(ANCHOR_HREF, (whole, start: string, dq?: string, sq?: string, bare?: string) => {
      const url = decodeAttribute((dq ?? sq ?? bare ?? "").trim());
      if (!/^https?:\/\//i.test(url)) return whole;
      linkUrls.push(url);
      return `${start}"${base}${redirectPath(token, linkUrls.length - 1)}"`;
    });
  }
  if (what.opens) {
    const pixel = `<img src="${base}${pixelPath(token)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
    const end = out.search(/<\/body\s*>/i);
    out = end >= 0 ? `${out.slice(0, end)}${pixel}${out.slice(end)}` : `${out}${pixel}`;
  }
  return { html: out, linkUrls };
}

/** The character references a URL in an attribute may hold (`&amp;` above all). */
function decodeAttribute(value: string): string {
  return value
    .replace(/&amp;/gi, "&")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)));
}
