import { MailboxError } from "../../../src/domain/errors.ts";
import { recordReviewEvent } from "../../../src/mailbox/writes/events.ts";
import { insertHeld } from "../../../src/mailbox/writes/held-messages.ts";
import { claimScheduledSend } from "../../../src/mailbox/writes/scheduled-sends.ts";
import type { RuleOutcome } from "../../../src/rule-engine/evaluate.ts";
import { storingCommand } from "../command.ts";
import { folderNamed, OUTBOX_FOLDER, REVIEW_FOLDER } from "../review-folders.ts";
import { recordStoredEvaluation } from "../rule-actions.ts";
import { type StoredMessage, storeMessage } from "../store-message.ts";
import { takeDraft } from "../take-draft.ts";

/**
 * A send an outbound rule holds for review: instead of leaving, the message (as its Sent copy
 * would be, Bcc included) is stored unread in Review, with the envelope it was sent with, and
 * announced (message.held). Nothing is queued, delivered or counted against the daily quota. A
 * draft being sent leaves Drafts and lends its id; a scheduled send is closed as sent.
 */
export interface HoldMessageCommand {
  /** The envelope's recipients, for the release. */
  recipients: string[];
  metadata?: Record<string, string>;
  answeredId?: string;
  draft?: { id: string; uid: number };
  scheduled?: { scheduleId: string; messageId: string };
  rules: RuleOutcome;
}

export const holdMessage = storingCommand<HoldMessageCommand, StoredMessage>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const review = await folderNamed(ctx, REVIEW_FOLDER);
  await folderNamed(ctx, OUTBOX_FOLDER);
  if (cmd.scheduled) {
    const claimed = claimScheduledSend(tx, state.grantId, cmd.scheduled.scheduleId, now);
    if (!claimed)
      throw new MailboxError("conflict", `scheduled send ${cmd.scheduled.scheduleId} is no longer pending`);
  }
  const id = cmd.draft ? await takeDraft(ctx, cmd.draft) : cmd.scheduled?.messageId;
  const stored = await storeMessage(ctx, {
    folderId: review.id,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: { seen: false, draft: false },
    ...(id && { id }),
  });
  const ruleIds = cmd.rules.verdict.matchedRuleIds;
  insertHeld(tx, {
    messageId: stored.id,
    grantId: state.grantId,
    recipientsJson: JSON.stringify(cmd.recipients),
    answeredId: cmd.answeredId ?? null,
    matchedRuleIdsJson: JSON.stringify(ruleIds),
    heldAt: now,
  });
  recordStoredEvaluation(ctx, cmd.rules, stored.id, { held_for_review: true, folder_ids: [review.id] });
  await recordReviewEvent(tx, state, "message.held", {
    id: stored.id,
    folderId: review.id,
    recipients: cmd.recipients,
    ruleIds,
  });
  return stored;
});
