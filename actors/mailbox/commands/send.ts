import { MailboxError } from "../../../src/domain/errors.ts";
import type { Flags } from "../../../src/domain/flags.ts";
import { FOLDER } from "../../../src/domain/system-folders.ts";
import { recordScheduledSent } from "../../../src/mailbox/writes/events.ts";
import { requireMessage } from "../../../src/mailbox/writes/messages.ts";
import { insertQueueRows } from "../../../src/mailbox/writes/outbound-queue.ts";
import { claimScheduledSend } from "../../../src/mailbox/writes/scheduled-sends.ts";
import { insertTrackedMessage } from "../../../src/mailbox/writes/tracking.ts";
import type { RuleOutcome } from "../../../src/rule-engine/evaluate.ts";
import type { TrackingRequest } from "../../../src/tracking/instrument.ts";
import { changeMessage } from "../change-message.ts";
import { storingCommand } from "../command.ts";
import { releaseHeld } from "../release-held.ts";
import { placeByVerdict, recordStoredEvaluation } from "../rule-actions.ts";
import { reserveSend } from "../send-quota.ts";
import { type StoredMessage, storeMessage } from "../store-message.ts";
import { takeDraft } from "../take-draft.ts";

/**
 * A message leaving the account (API send, sent draft, SMTP submission); its bytes are the Sent
 * copy (with Bcc, when there is one). Local recipients are delivered by the caller, with append.
 */
export interface SendCommand {
  /** What leaves the server: the bytes without Bcc, the envelope sender and remote recipients. */
  outbound: { raw: Uint8Array; mailFrom: string; recipients: string[] };
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /**
   * A draft being sent: it leaves Drafts, and the Sent copy keeps its id. `uid` is the version
   * that was composed; if the draft was saved again meanwhile, the send is refused (conflict).
   */
  draft?: { id: string; uid: number };
  /** The message answered (reply_to_message_id): it gets \Answered. */
  answeredId?: string;
  /**
   * A scheduled send coming due: the Sent copy takes the id given when it was scheduled, and the
   * schedule is claimed in the same unit (refused if it was cancelled or already sent).
   */
  scheduled?: { scheduleId: string; messageId: string };
  /** The outbound rules' verdict (outbound_send): applied to the Sent copy and recorded with it. */
  rules?: RuleOutcome;
  /**
   * A held message being released (moved to Outbox, or POST …/release): it leaves its folder,
   * the Sent copy keeps its id; refused if it was released or discarded meanwhile.
   */
  held?: { id: string };
  /** tracking_options: the tracked message is written with its Sent copy, in this unit. */
  tracking?: TrackingRequest;
}

export interface SendReply extends StoredMessage {
  /** Outbound queue rows written: one per remote recipient. */
  queued: number;
}

/**
 * One message leaving the account, all or nothing: a send is taken from today's quota, the copy
 * is stored in Sent (a draft being sent leaves Drafts and lends the copy its id; a scheduled send
 * is claimed and gives the id it was promised), the answered message is marked, and each remote
 * recipient gets an outbound queue row.
 */
export const send = storingCommand<SendCommand, SendReply>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  reserveSend(tx, state.grantId, now);
  if (cmd.scheduled) {
    const { scheduleId } = cmd.scheduled;
    const claimed = claimScheduledSend(tx, state.grantId, scheduleId, now);
    if (!claimed) throw new MailboxError("conflict", `scheduled send ${scheduleId} is no longer pending`);
    await recordScheduledSent(tx, state, claimed);
  }
  const id = cmd.held
    ? await releaseHeld(ctx, cmd.held.id)
    : cmd.draft
      ? await takeDraft(ctx, cmd.draft)
      : cmd.scheduled?.messageId;
  const flags = { seen: true, ...cmd.flags, draft: false };
  const placed = cmd.rules ? placeByVerdict(state, cmd.rules, FOLDER.sent, flags) : null;
  const stored = await storeMessage(ctx, {
    folderId: placed?.folderId ?? FOLDER.sent,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: placed?.flags ?? flags,
    ...(id && { id }),
  });
  if (cmd.rules && placed) recordStoredEvaluation(ctx, cmd.rules, stored.id, placed.applied);
  if (cmd.answeredId) {
    await changeMessage(ctx, requireMessage(tx, state.grantId, cmd.answeredId), {
      flags: { answered: true },
    });
  }
  if (cmd.tracking) {
    insertTrackedMessage(tx, state, {
      ...cmd.tracking,
      messageId: stored.id,
      rfc822Id: cmd.prepared.messageId,
      now,
    });
  }
  // Without Bcc the queued bytes are the Sent copy's, already hashed when prepared.
  const blobHash = cmd.outbound.raw === cmd.raw ? cmd.prepared.sha256 : undefined;
  const queued = insertQueueRows(
    tx,
    {
      grantId: state.grantId,
      applicationId: state.applicationId,
      messageId: stored.id,
      ...cmd.outbound,
      ...(blobHash && { blobHash }),
    },
    now,
  );
  return { ...stored, queued };
});
