/**
 * Attachments of a message as the REST API lists them, and the decoded bytes of one part.
 */
import { findField } from "./header-block.ts";
import { binaryToText, decodeParam } from "./header-decode.ts";
import type { MimeNode } from "./mime-tree.ts";
import { leafParts } from "./parts.ts";
import { decodeTransfer } from "./transfer-decode.ts";

export interface AttachmentInfo {
  /** IMAP part number, usable with `findPart` and `BODY[...]`. */
  partPath: string;
  /** Decoded file name (RFC 2231 / RFC 2047), or null when the part has none. */
  filename: string | null;
  /** The Content-Type header as written, whitespace collapsed, e.g. `image/png; name="pic.png"`. */
  contentType: string;
  /** Size in bytes after transfer decoding. */
  size: number;
  /** Content-ID without its angle brackets. */
  contentId: string | null;
  /** Lower-cased disposition type ("attachment", "inline", ...), or null when absent. */
  disposition: string | null;
  isInline: boolean;
}

/**
 * Leaf parts that are attachments: an `attachment` disposition, a file name, or any non-text
 * content (text parts without a name are the message body). Parts of attached messages are
 * not listed: the attached message itself is.
 */
export function listAttachments(raw: Uint8Array, tree: MimeNode): AttachmentInfo[] {
  return leafParts(tree)
    .filter(({ node }) => isAttachment(node))
    .map(({ part, node }) => describe(raw, part, node));
}

function isAttachment(node: MimeNode): boolean {
  if (node.disposition?.type === "attachment") return true;
  if (filenameOf(node) !== null) return true;
  return node.contentType.type !== "text";
}

function describe(raw: Uint8Array, partPath: string, node: MimeNode): AttachmentInfo {
  const contentId = node.contentId ? node.contentId.replace(/^\s*<|>\s*$/g, "") : null;
  const disposition = node.disposition?.type ?? null;
  return {
    partPath,
    filename: filenameOf(node),
    contentType: contentTypeText(node),
    size: decodePart(raw, node).length,
    contentId: contentId || null,
    disposition,
    isInline: disposition === "inline" || (disposition === null && contentId !== null),
  };
}

function filenameOf(node: MimeNode): string | null {
  const name =
    decodeParam(node.disposition?.params, "filename") ?? decodeParam(node.contentType.params, "name");
  const trimmed = name?.trim();
  return trimmed ? trimmed : null;
}

function contentTypeText(node: MimeNode): string {
  const header = findField(node.headers, "content-type")?.value;
  if (!header) return `${node.contentType.type}/${node.contentType.subtype}`;
  return binaryToText(header).replace(/\s+/g, " ");
}

/**
 * A part's body with its transfer encoding undone. For 7bit/8bit/binary the result is a view
 * into `raw`, not a copy.
 */
export function decodePart(raw: Uint8Array, node: MimeNode): Uint8Array {
  return decodeTransfer(raw.subarray(node.bodyStart, node.bodyEnd), node.encoding);
}
