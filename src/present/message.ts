import type { AttachmentInfo } from "../mail/attachments.ts";
import type { MessageView } from "../mailbox/messages.ts";
import type { AttachmentRow } from "../store/schema.ts";

/** Nylas attachment metadata (reference §4.4). */
export function presentAttachment(a: AttachmentRow) {
  return { id: a.id, grant_id: a.grantId, ...attachmentFields(a) };
}

/** The fields of an attachment that its MIME part gives (no id until it is stored). */
export function attachmentFields(a: Omit<AttachmentInfo, "partPath">) {
  return {
    filename: a.filename ?? "",
    content_type: a.contentType,
    size: a.size,
    content_id: a.contentId,
    content_disposition: a.disposition,
    is_inline: a.isInline,
  };
}

/**
 * Nylas message object (reference §3.2), plus agentbox's `extracted` (codes and links for
 * agents). A message in Drafts is presented as a draft.
 */
export function presentMessage(v: MessageView) {
  const m = v.row;
  return {
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
    snippet: m.snippet,
    body: v.body,
    folders: [m.folderId],
    attachments: v.attachments.map(presentAttachment),
    metadata: JSON.parse(m.metadataJson),
    in_reply_to: m.inReplyTo,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    extracted: JSON.parse(m.extractedJson),
    // agentbox extension: the inbound MX's SPF/DKIM/DMARC/ARC verdicts (docs/api.md).
    ...(m.authenticationJson && { authentication: JSON.parse(m.authenticationJson) }),
    ...(m.spamJson && { spam: JSON.parse(m.spamJson) }),
  };
}
