import { decodePart } from "../mail/attachments.ts";
import type { Attachment, CustomHeader, SendRequest } from "../mail/compose/request.ts";
import { binaryToText } from "../mail/header-decode.ts";
import { headerFields } from "../mail/header-edit.ts";
import { parseMessage } from "../mail/parse-message.ts";
import { findPart } from "../mail/parts.ts";
import type { MessageRow } from "../store/schema.ts";

/**
 * A stored draft read back as a send request, so an update or a send composes it anew. The
 * stored MIME is the draft's only source of truth: a draft saved by an IMAP client has nothing
 * else. What MIME cannot hold (tracking options, template, signature id) is not kept.
 */
export interface StoredDraft {
  request: SendRequest;
  /** The draft's Message-ID, kept across saves and into the sent message. */
  messageId: string | null;
  /** Its In-Reply-To and References, for the composer's threading headers. */
  replyTo?: { messageId: string; references: string[] };
}

// Fields the composer writes from the request itself; any other top-level field is a custom header.
const COMPOSED_FIELDS = new Set([
  "from",
  "sender",
  "reply-to",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "in-reply-to",
  "references",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-disposition",
  "content-id",
]);

export function readDraft(raw: Uint8Array, row: MessageRow, accountEmail: string): StoredDraft {
  const p = parseMessage(raw);
  const request: SendRequest = {
    to: p.to,
    cc: p.cc,
    bcc: p.bcc,
    replyTo: p.replyTo,
    // Only the account's own address (with its display name) may stand in From.
    from: p.from.filter((f) => f.email.toLowerCase() === accountEmail.toLowerCase()).slice(0, 1),
    subject: p.subject ?? "",
    body: p.html ?? p.text,
    isPlaintext: p.html === null,
    attachments: attachmentsOf(raw, p),
    customHeaders: customHeaders(raw),
    metadata: JSON.parse(row.metadataJson) as Record<string, string>,
    starred: row.flagged,
    unread: !row.seen,
  };
  return {
    request,
    messageId: p.messageId,
    ...(p.inReplyTo && { replyTo: { messageId: p.inReplyTo, references: p.references } }),
  };
}

function attachmentsOf(raw: Uint8Array, p: ReturnType<typeof parseMessage>): Attachment[] {
  return p.attachments.flatMap((a): Attachment[] => {
    const node = findPart(p.tree, a.partPath);
    if (!node) return [];
    const { type, subtype, params } = node.contentType;
    return [
      {
        filename: a.filename ?? "attachment",
        contentType: params.charset ? `${type}/${subtype}; charset=${params.charset}` : `${type}/${subtype}`,
        content: decodePart(raw, node),
        disposition: a.isInline ? "inline" : "attachment",
        ...(a.contentId && { contentId: a.contentId }),
      },
    ];
  });
}

function customHeaders(raw: Uint8Array): CustomHeader[] {
  return headerFields(raw)
    .filter((f) => f.name !== "" && !COMPOSED_FIELDS.has(f.name.toLowerCase()))
    .map((f) => ({ name: f.name, value: binaryToText(f.value) }));
}
