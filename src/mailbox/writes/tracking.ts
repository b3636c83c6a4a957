/**
 * Message tracking, as the mailbox actor writes it: the tracked message in the unit that stores
 * its Sent copy (so it exists before any recipient can open it), and thread replies, detected as
 * each message is stored. Plain SQL: the reply look-up runs for every stored reply.
 */
import { recordEvent } from "../../events/outbox.ts";
import type { Tx } from "../../store/db.ts";
import type { TrackingRequest } from "../../tracking/instrument.ts";
import type { EventScope } from "./events.ts";

export function insertTrackedMessage(
  tx: Tx,
  /** A transactional send has no grant. */
  scope: { applicationId: string; grantId: string | null },
  t: TrackingRequest & { messageId: string; rfc822Id: string | null; now: number },
): void {
  tx.$client
    .prepare(
      `INSERT INTO tracked_messages (token, application_id, grant_id, message_id, rfc822_id, label, opens, links,
         thread_replies, links_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      t.token,
      scope.applicationId,
      scope.grantId,
      t.messageId,
      t.rfc822Id,
      t.label,
      t.opens ? 1 : 0,
      t.links ? 1 : 0,
      t.threadReplies ? 1 : 0,
      JSON.stringify(t.linkUrls),
      t.now,
    );
}

/** A message just stored that may answer a tracked one. */
export interface PossibleReply {
  id: string;
  threadId: string;
  /** Its In-Reply-To, then its References. */
  refersTo: string[];
  inReplyTo: string | null;
  /** Stored in Sent: the account answered its own thread (Nylas's `from_self`). */
  fromSelf: boolean;
  now: number;
}

interface Tracked {
  token: string;
  message_id: string;
  label: string | null;
  reply_count: number;
}

/**
 * thread.replied for each tracked message (thread_replies) of the grant that this one names in
 * In-Reply-To or References, in Nylas's shape; the reply count goes up.
 */
export async function recordThreadReplies(tx: Tx, scope: EventScope, reply: PossibleReply): Promise<void> {
  if (reply.refersTo.length === 0) return;
  const marks = reply.refersTo.map(() => "?").join(", ");
  const tracked = tx.$client
    .prepare(
      `SELECT token, message_id, label, reply_count FROM tracked_messages
       WHERE grant_id = ? AND thread_replies = 1 AND rfc822_id IN (${marks})`,
    )
    .all(scope.grantId, ...reply.refersTo) as Tracked[];
  for (const t of tracked) {
    if (t.message_id === reply.id) continue;
    const count = t.reply_count + 1;
    tx.$client.prepare("UPDATE tracked_messages SET reply_count = ? WHERE token = ?").run(count, t.token);
    await recordEvent(tx, {
      applicationId: scope.applicationId,
      grantId: scope.grantId,
      type: "thread.replied",
      object: {
        object: "thread",
        grant_id: scope.grantId,
        message_id: reply.id,
        root_message_id: t.message_id,
        reply_to_message_id: answered(tx, scope.grantId, reply.inReplyTo) ?? t.message_id,
        thread_id: reply.threadId,
        ...(t.label !== null && { label: t.label }),
        reply_data: { count },
        sender_app_id: scope.applicationId,
        timestamp: reply.now,
        from_self: reply.fromSelf,
      },
    });
  }
}

/** The id of the grant's message whose Message-ID the reply's In-Reply-To names. */
function answered(tx: Tx, grantId: string, inReplyTo: string | null): string | null {
  if (!inReplyTo) return null;
  const row = tx.$client
    .prepare("SELECT id FROM messages WHERE grant_id = ? AND message_id_header = ? LIMIT 1")
    .get(grantId, inReplyTo) as { id: string } | null;
  return row?.id ?? null;
}
