/** 207 Multi-Status bodies (RFC 4918 §13): a response per resource, its properties by status. */
import type { Target } from "./properties.ts";
import { document, element, escapeXml, type PropName } from "./xml.ts";

/** Which properties a PROPFIND or REPORT asks for. */
export type PropRequest = { kind: "all" } | { kind: "names" } | { kind: "props"; names: PropName[] };

export function propResponse(target: Target, request: PropRequest): string {
  if (request.kind === "names")
    return response(
      target.href,
      propstat(
        [...target.props.keys()].map((n) => element(n)),
        200,
      ),
    );
  const names =
    request.kind === "all" ? [...target.props.keys()].filter((n) => !target.hidden?.has(n)) : request.names;
  const found: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const value = target.props.get(name);
    if (value) found.push(element(name, value()));
    else missing.push(element(name));
  }
  return response(target.href, propstat(found, 200) + propstat(missing, 404));
}

/** A response naming a resource that is gone (sync-collection) or not found (multiget). */
export const statusResponse = (href: string, status: number) =>
  `<D:response><D:href>${escapeXml(href)}</D:href><D:status>${statusLine(status)}</D:status></D:response>`;

function propstat(props: string[], status: number): string {
  if (props.length === 0) return "";
  return `<D:propstat><D:prop>${props.join("")}</D:prop><D:status>${statusLine(status)}</D:status></D:propstat>`;
}

const response = (href: string, inner: string) =>
  `<D:response><D:href>${escapeXml(href)}</D:href>${inner}</D:response>`;

const REASONS: Record<number, string> = {
  200: "OK",
  403: "Forbidden",
  404: "Not Found",
  424: "Failed Dependency",
};
const statusLine = (status: number) => `HTTP/1.1 ${status} ${REASONS[status] ?? ""}`;

export function multistatus(responses: string[], extra = ""): Response {
  return new Response(document("D:multistatus", responses.join("") + extra), {
    status: 207,
    headers: { "content-type": "application/xml; charset=utf-8" },
  });
}
