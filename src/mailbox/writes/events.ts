/**
 * The event-log rows the mailbox actor writes beside each change (src/events/outbox.ts): the
 * objects webhooks and the events API carry for messages and folders.
 */
import type { Flags } from "../../domain/flags.ts";
import { recordEvent } from "../../events/outbox.ts";
import type { EventType } from "../../events/types.ts";
import type { Tx } from "../../store/db.ts";
import type { ScheduledSendRow } from "../../store/schema.ts";

/** The grant a change belongs to, and its application (whose webhooks hear it). */
export interface EventScope {
  grantId: string;
  applicationId: string;
}

function record(tx: Tx, scope: EventScope, type: EventType, object: Record<string, unknown>): Promise<void> {
  return recordEvent(tx, { applicationId: scope.applicationId, grantId: scope.grantId, type, object });
}

/** A stored message: message.created, or message.updated when it replaces a draft under its id. */
export function recordMessageStored(
  tx: Tx,
  scope: EventScope,
  type: "message.created" | "message.updated",
  m: { id: string; threadId: string; folderId: string },
): Promise<void> {
  return record(tx, scope, type, {
    id: m.id,
    grant_id: scope.grantId,
    thread_id: m.threadId,
    folders: [m.folderId],
  });
}

/** message.updated: where the message is and its unread/starred state. */
export function recordMessageUpdated(
  tx: Tx,
  scope: EventScope,
  m: { id: string; folderId: string; flags: Pick<Flags, "seen" | "flagged"> },
): Promise<void> {
  return record(tx, scope, "message.updated", {
    id: m.id,
    grant_id: scope.grantId,
    folders: [m.folderId],
    unread: !m.flags.seen,
    starred: m.flags.flagged,
  });
}

export function recordMessageDeleted(tx: Tx, scope: EventScope, messageId: string): Promise<void> {
  return record(tx, scope, "message.deleted", { id: messageId, grant_id: scope.grantId, object: "message" });
}

export function recordFolderChange(
  tx: Tx,
  scope: EventScope,
  type: "folder.created" | "folder.updated" | "folder.deleted",
  f: { id: string; name: string; systemFolder: boolean },
): Promise<void> {
  return record(tx, scope, type, {
    id: f.id,
    grant_id: scope.grantId,
    name: f.name,
    object: "folder",
    system_folder: f.systemFolder,
  });
}

/** message.send_success: a scheduled send went out (its claim is in the same unit). */
export function recordScheduledSent(tx: Tx, scope: EventScope, s: ScheduledSendRow): Promise<void> {
  return record(tx, scope, "message.send_success", scheduleEventObject(s));
}

/** What message.send_success/send_failed carry: the message the schedule sends, by id. */
export function scheduleEventObject(s: ScheduledSendRow) {
  return { object: "message", id: s.messageId, grant_id: s.grantId, schedule_id: s.id, send_at: s.sendAt };
}

/**
 * message.held / message.released (agentbox's own): an outbound message parked in Review by a
 * hold_for_review rule, and its release through the send path (the Sent copy keeps its id).
 */
export function recordReviewEvent(
  tx: Tx,
  scope: EventScope,
  type: "message.held" | "message.released",
  m: { id: string; folderId: string; recipients?: string[]; ruleIds?: string[] },
): Promise<void> {
  return record(tx, scope, type, {
    id: m.id,
    grant_id: scope.grantId,
    folders: [m.folderId],
    ...(m.recipients && { recipients: m.recipients }),
    ...(m.ruleIds && { matched_rule_ids: m.ruleIds }),
  });
}
