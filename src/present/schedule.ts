import type { ParsedMessage } from "../mail/parse-message.ts";
import type { GrantRow, ScheduledSendRow } from "../store/schema.ts";
import { attachmentFields } from "./message.ts";
import { withoutNulls } from "./omit-null.ts";

const DESCRIPTIONS: Record<ScheduledSendRow["status"], string> = {
  pending: "scheduled: waiting for its send_at time",
  sent: "sent",
  failed: "the send failed",
  cancelled: "cancelled before its send_at time",
};

/** The Nylas schedule object: GET /messages/schedules[/{id}]. */
export function presentSchedule(s: ScheduledSendRow) {
  return {
    schedule_id: s.id,
    status: { code: s.status, description: s.description ?? DESCRIPTIONS[s.status] },
    ...(s.closeTime !== null && { close_time: s.closeTime }),
    // agentbox: what the schedule sends and when, and the id its Sent copy has (docs/api.md).
    send_at: s.sendAt,
    message_id: s.messageId,
  };
}

/**
 * The 202 of a scheduled send: the message as it will be sent, under the id its Sent copy will
 * have, with `schedule_id` and `send_at`. It is not in a folder (nor a thread: no `thread_id`)
 * until then.
 */
export function presentScheduledMessage(grant: GrantRow, s: ScheduledSendRow, p: ParsedMessage) {
  return withoutNulls({
    object: "message",
    id: s.messageId,
    grant_id: grant.id,
    thread_id: null,
    subject: p.subject ?? "",
    from: p.from,
    to: p.to,
    cc: p.cc,
    bcc: p.bcc,
    reply_to: p.replyTo,
    date: s.sendAt,
    unread: false,
    starred: s.flagged,
    snippet: p.snippet || null,
    body: p.body,
    folders: [],
    attachments: p.attachments.map(attachmentFields),
    metadata: JSON.parse(s.metadataJson),
    schedule_id: s.id,
    send_at: s.sendAt,
  });
}
