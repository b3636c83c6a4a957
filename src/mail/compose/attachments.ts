import { ComposeError } from "./errors.ts";
import {
  isAbsent,
  optionalBoolean,
  optionalHeaderText,
  optionalList,
  optionalString,
  requireHeaderSafe,
  requireObjectAt,
} from "./fields.ts";

export type Disposition = "inline" | "attachment";

/** An attachment with its bytes decoded, whichever way (JSON base64 or form part) it arrived. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
  /** Without angle brackets. Set on inline images that the HTML references as `cid:<contentId>`. */
  contentId?: string;
  disposition: Disposition;
}

/** A non-JSON part of a multipart/form-data request, as the HTTP layer hands it over. */
export interface FilePart {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const CONTENT_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;.*)?$`);
// Standard or URL-safe alphabet; padding optional. Whitespace is removed before the test.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const CONTENT_ID = /^[^\s<>"]+$/;
// The SDK names a file part `file{index}` unless the attachment has a content_id; the spec calls
// it `attachment`. Any other field name is the content_id.
const UNNAMED_FIELD = /^(?:file\d+|attachments?)$/;

export function parseJsonAttachments(obj: Record<string, unknown>): Attachment[] {
  const list = optionalList(obj, "attachments", "attachments", "attachment objects") ?? [];
  return list.map((entry, i) => parseJsonAttachment(entry, `attachments[${i}]`));
}

function parseJsonAttachment(value: unknown, path: string): Attachment {
  const entry = requireObjectAt(value, path, "an attachment object");
  const filename = requiredFilename(optionalString(entry, "filename", `${path}.filename`, 255), path);
  const contentType = parseContentType(entry.content_type, `${path}.content_type`);
  const content = decodeBase64(entry.content, `${path}.content`);
  const contentId = parseContentId(optionalHeaderText(entry, "content_id", `${path}.content_id`, 250), path);
  checkSize(entry.size, `${path}.size`);
  const disposition = parseDisposition(entry, path, contentId);
  return { filename, contentType, content, disposition, ...(contentId ? { contentId } : {}) };
}

export function attachmentFromFile(part: FilePart): Attachment {
  const path = part.field;
  const filename = requiredFilename(part.filename, path);
  const contentType = part.contentType === "" ? "application/octet-stream" : part.contentType;
  const contentId = UNNAMED_FIELD.test(part.field) ? undefined : parseContentId(part.field, path);
  return {
    filename,
    contentType: parseContentType(contentType, `${path}.content_type`),
    content: part.bytes,
    // The form carries no disposition; the SDK only names a part by content_id for inline images.
    disposition: contentId ? "inline" : "attachment",
    ...(contentId ? { contentId } : {}),
  };
}

function requiredFilename(filename: string | undefined, path: string): string {
  if (filename === undefined || filename.trim() === "") {
    throw new ComposeError(`${path}.filename`, `${path}.filename is required`);
  }
  return requireHeaderSafe(filename, `${path}.filename`);
}

function parseContentType(value: unknown, path: string): string {
  if (isAbsent(value) || value === "") throw new ComposeError(path, `${path} is required`);
  if (typeof value !== "string") throw new ComposeError(path, `${path} must be a string`);
  requireHeaderSafe(value, path);
  if (!CONTENT_TYPE.test(value.trim())) {
    throw new ComposeError(path, `${path} must be a MIME type such as application/pdf`);
  }
  return value.trim();
}

function decodeBase64(value: unknown, path: string): Uint8Array {
  if (isAbsent(value)) throw new ComposeError(path, `${path} is required`);
  if (typeof value !== "string") throw new ComposeError(path, `${path} must be a base64 string`);
  const compact = value.replace(/\s+/g, "");
  const padded = compact.endsWith("=");
  const lengthOk = padded ? compact.length % 4 === 0 : compact.length % 4 !== 1;
  if (!BASE64.test(compact) || !lengthOk) throw new ComposeError(path, `${path} is not valid base64`);
  return Buffer.from(compact, "base64");
}

function parseContentId(value: string | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  const bare = value.trim().replace(/^<(.*)>$/, "$1");
  if (bare === "") return undefined;
  if (!CONTENT_ID.test(bare)) {
    throw new ComposeError(`${path}.content_id`, `${path}.content_id may not contain spaces, quotes or <>`);
  }
  return bare;
}

function checkSize(value: unknown, path: string): void {
  if (isAbsent(value)) return;
  // Informational only: the decoded content decides the real size.
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ComposeError(path, `${path} must be a whole number of bytes`);
  }
}

/** Explicit content_disposition wins, then is_inline; a content_id alone means an inline image. */
function parseDisposition(entry: Record<string, unknown>, path: string, contentId?: string): Disposition {
  const explicit = optionalString(entry, "content_disposition", `${path}.content_disposition`, 32);
  const isInline = optionalBoolean(entry, "is_inline", `${path}.is_inline`);
  if (explicit !== undefined && explicit !== "") {
    const lower = explicit.trim().toLowerCase();
    if (lower !== "inline" && lower !== "attachment") {
      throw new ComposeError(
        `${path}.content_disposition`,
        `${path}.content_disposition must be "inline" or "attachment"`,
      );
    }
    return lower;
  }
  if (isInline !== undefined) return isInline ? "inline" : "attachment";
  return contentId ? "inline" : "attachment";
}
