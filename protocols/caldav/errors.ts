/**
 * CalDAV refusals: an HTTP status and, where RFC 4918 §16 / RFC 4791 / RFC 6578 name one, the
 * precondition in a DAV:error body.
 */
import { document, element, type PropName } from "./xml.ts";

export class DavError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly precondition?: PropName,
    readonly headers: Record<string, string> = {},
    /** XML inside the precondition's element (no-uid-conflict names the resource that has the UID). */
    readonly detail = "",
  ) {
    super(message);
  }
}

export function errorResponse(error: DavError): Response {
  const body = document(
    "D:error",
    `${error.precondition ? element(error.precondition, error.detail) : ""}<D:responsedescription>${escapeText(error.message)}</D:responsedescription>`,
  );
  return new Response(body, {
    status: error.status,
    headers: { "content-type": "application/xml; charset=utf-8", ...error.headers },
  });
}

const escapeText = (s: string) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export const notFound = (what: string) => new DavError(404, `${what} not found`);
export const forbidden = (message: string, precondition?: PropName) =>
  new DavError(403, message, precondition);
