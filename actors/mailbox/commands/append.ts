import { FOLDER } from "../../../src/domain/system-folders.ts";
import type { RuleOutcome } from "../../../src/rule-engine/evaluate.ts";
import { applyItip } from "../apply-itip.ts";
import { storingCommand } from "../command.ts";
import { reserveReceive } from "../receive-quota.ts";
import { placeByVerdict, recordStoredEvaluation } from "../rule-actions.ts";
import { type NewMessage, type StoredMessage, storeMessage } from "../store-message.ts";

export interface AppendCommand extends NewMessage {
  /**
   * The inbound rules' evaluation (inbox_processing): applied as the message is stored, and
   * recorded with its id, in the same unit.
   */
  rules?: RuleOutcome;
  /** A received message under a policy's daily receive limit: counted, or refused past it. */
  dailyReceiveLimit?: number;
}

/**
 * A message stored in a folder (API drafts and local delivery, the MX, a DSN), placed by the
 * inbound rules when they ran. An invitation arriving in the INBOX is applied to the calendar in
 * the same unit; one that cannot be read leaves the calendar as it was and the message stored.
 */
export const append = storingCommand<AppendCommand, StoredMessage>(async (ctx, cmd) => {
  if (cmd.dailyReceiveLimit !== undefined) reserveReceive(ctx, cmd.dailyReceiveLimit);
  const placed = cmd.rules ? placeByVerdict(ctx.state, cmd.rules, cmd.folderId, cmd.flags) : null;
  const stored = await storeMessage(
    ctx,
    placed ? { ...cmd, folderId: placed.folderId, flags: placed.flags } : cmd,
  );
  if (cmd.rules && placed) recordStoredEvaluation(ctx, cmd.rules, stored.id, placed.applied);
  const ics = cmd.prepared.calendar;
  if (stored.folderId === FOLDER.inbox && ics) {
    const sender = (JSON.parse(cmd.prepared.json.from) as { email?: string }[])[0]?.email ?? null;
    try {
      await applyItip(ctx, ics, sender);
    } catch {
      // Not the message's fault to bear: the calendar keeps its state, the mail is delivered.
    }
  }
  return stored;
});
