import type { ThreadView } from "../mailbox/threads.ts";
import { presentMessage } from "./message.ts";
import { withoutNulls } from "./omit-null.ts";

type Person = { name?: string; email: string };

/**
 * Nylas thread object (reference §4.2), derived from the thread's messages. A date the thread
 * has none of (no message received yet, none sent) and an empty snippet are absent.
 */
export function presentThread(t: ThreadView) {
  const mail = t.messages.filter((m) => m.folderId !== "drafts");
  const drafts = t.messages.filter((m) => m.folderId === "drafts");
  const people = new Map<string, Person>();
  for (const m of t.messages) {
    for (const json of [m.fromJson, m.toJson, m.ccJson, m.bccJson]) {
      for (const p of JSON.parse(json) as Person[]) if (!people.has(p.email)) people.set(p.email, p);
    }
  }
  const sent = mail.filter((m) => m.folderId === "sent");
  const received = mail.filter((m) => m.folderId !== "sent");
  const first = t.messages[0];
  return withoutNulls({
    object: "thread",
    id: t.row.id,
    grant_id: first?.grantId ?? "",
    subject: first?.subject ?? "",
    snippet: t.latest?.row.snippet || null,
    has_attachments: t.messages.some((m) => m.hasAttachments),
    has_drafts: drafts.length > 0,
    starred: t.messages.some((m) => m.flagged),
    unread: t.messages.some((m) => !m.seen),
    earliest_message_date: first?.internalDate ?? null,
    latest_message_received_date: received.at(-1)?.internalDate ?? null,
    latest_message_sent_date: sent.at(-1)?.internalDate ?? null,
    participants: [...people.values()],
    message_ids: mail.map((m) => m.id),
    draft_ids: drafts.map((m) => m.id),
    folders: [...new Set(t.messages.map((m) => m.folderId))],
    latest_draft_or_message: t.latest ? presentMessage(t.latest) : null,
  });
}
