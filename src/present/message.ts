import type { AttachmentInfo } from "../mail/attachments.ts";
import type { MessageView } from "../mailbox/messages.ts";
import type { AttachmentRow } from "../store/schema.ts";
import { withoutNulls } from "./omit-null.ts";

/** Nylas attachment metadata (reference §4.4). */
export function presentAttachment(a: AttachmentRow) {
  return { id: a.id, grant_id: a.grantId, ...attachmentFields(a) };
}

/**
 * The fields of an attachment that its MIME part gives (no id until it is stored). A part without
 * a file name, Content-ID or disposition has no such field (Nylas's schema has no nulls there).
 */
export function attachmentFields(a: Omit<AttachmentInfo, "partPath">) {
  return withoutNulls({
    filename: a.filename || null,
    content_type: a.contentType,
    size: a.size,
    content_id: a.contentId,
    content_disposition: a.disposition,
    is_inline: a.isInline,
  });
}

/**
 * Nylas message object (reference §3.2), plus agentbox's `extracted` (codes and links for
 * agents). A message in Drafts is presented as a draft. `in_reply_to` and an empty `snippet` are
 * absent rather than null or "" (Nylas's schema: a string, at least one character).
 */
export function presentMessage(v: MessageView) {
  const m = v.row;
  return withoutNulls({
    object: m.folderId === "drafts" ? "draft" : "message",
    id: m.id,
    grant_id: m.grantId,
    thread_id: m.threadId,
    subject: m.subject ?? "",
    from: JSON.parse(m.fromJson),
    to: JSON.parse(m.toJson),
    cc: JSON.parse(m.ccJson),
    bcc: JSON.parse(m.bccJson),
    reply_to: JSON.parse(m.replyToJson),
    date: m.internalDate,
    unread: !m.seen,
    starred: m.flagged,
    answered: m.answered,
    snippet: m.snippet || null,
    body: v.body,
    folders: [m.folderId],
    attachments: v.attachments.map(presentAttachment),
    metadata: JSON.parse(m.metadataJson),
    in_reply_to: m.inReplyTo,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    extracted: JSON.parse(m.extractedJson),
    // agentbox extension: the inbound MX's SPF/DKIM/DMARC/ARC verdicts (docs/api.md).
    authentication: m.authenticationJson ? JSON.parse(m.authenticationJson) : null,
    // agentbox extension: the account policy's spam verdict, when the MX scored the message.
    ...(m.spamJson && { spam: JSON.parse(m.spamJson) }),
  });
}
