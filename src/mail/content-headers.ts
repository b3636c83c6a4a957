/**
 * The MIME `Content-*` fields of one entity, interpreted the way IMAP BODYSTRUCTURE needs them
 * (RFC 2045, RFC 2183, RFC 3501 §7.4.2). The first occurrence of each field wins.
 */
import { findField, type HeaderField } from "./header-block.ts";
import { type Params, parseParamHeader, trimWsp } from "./header-params.ts";

export interface ContentType {
  /** Lower-cased media type and subtype. */
  type: string;
  subtype: string;
  params: Params;
}

export interface Disposition {
  /** Lower-cased disposition type, e.g. "attachment" or "inline". */
  type: string;
  params: Params;
}

export interface ContentHeaders {
  contentType: ContentType;
  disposition?: Disposition;
  /** Lower-cased Content-Transfer-Encoding token; "7bit" when absent or invalid. */
  encoding: string;
  /** Raw values as binary strings: Content-ID keeps its angle brackets. */
  contentId?: string;
  description?: string;
  md5?: string;
  language?: string[];
  location?: string;
}

/** RFC 2045 §5.2 default, and RFC 2046 §5.1.5 default inside multipart/digest. */
export function defaultContentType(inDigest: boolean): ContentType {
  return inDigest
    ? { type: "message", subtype: "rfc822", params: {} }
    : { type: "text", subtype: "plain", params: { charset: "us-ascii" } };
}

export function readContentHeaders(fields: readonly HeaderField[], inDigest: boolean): ContentHeaders {
  const headers: ContentHeaders = {
    contentType: contentTypeOf(findField(fields, "content-type")?.value, inDigest),
    encoding: encodingOf(findField(fields, "content-transfer-encoding")?.value),
  };
  const disposition = dispositionOf(findField(fields, "content-disposition")?.value);
  if (disposition) headers.disposition = disposition;
  setIfPresent(headers, "contentId", findField(fields, "content-id")?.value);
  setIfPresent(headers, "description", findField(fields, "content-description")?.value);
  setIfPresent(headers, "md5", findField(fields, "content-md5")?.value);
  setIfPresent(headers, "location", findField(fields, "content-location")?.value);
  const language = languagesOf(findField(fields, "content-language")?.value);
  if (language.length > 0) headers.language = language;
  return headers;
}

function setIfPresent(
  headers: ContentHeaders,
  key: "contentId" | "description" | "md5" | "location",
  value?: string,
) {
  if (value) headers[key] = value;
}

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+/;
const LANGUAGE_TAG = /^[A-Za-z0-9-]+$/;
const MEDIA_TYPE = /^([!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)[ \t]*(?:\/[ \t]*([!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+))?/;

function contentTypeOf(raw: string | undefined, inDigest: boolean): ContentType {
  if (raw === undefined) return defaultContentType(inDigest);
  const { value, params } = parseParamHeader(raw);
  const m = MEDIA_TYPE.exec(value);
  if (!m?.[1]) return defaultContentType(inDigest);
  const type = m[1].toLowerCase();
  return { type, subtype: m[2]?.toLowerCase() ?? missingSubtype(type), params };
}

/** Dovecot's choices, so clients see the same thing they would from it. */
function missingSubtype(type: string): string {
  if (type === "text") return "plain";
  return type === "multipart" ? "x-unknown" : "unknown";
}

function encodingOf(raw: string | undefined): string {
  return TOKEN.exec(raw ?? "")?.[0].toLowerCase() ?? "7bit";
}

function dispositionOf(raw: string | undefined): Disposition | undefined {
  if (raw === undefined) return undefined;
  const { value, params } = parseParamHeader(raw);
  const type = TOKEN.exec(value)?.[0].toLowerCase();
  return type ? { type, params } : undefined;
}

function languagesOf(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(",")
    .map(trimWsp)
    .filter((tag) => LANGUAGE_TAG.test(tag));
}
