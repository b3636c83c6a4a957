import type { RuleOutcome } from "../../../src/rule-engine/evaluate.ts";
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

/** A message stored in a folder (API drafts and local delivery, the MX, a DSN). */
export const append = storingCommand<AppendCommand, StoredMessage>(async (ctx, cmd) => {
  if (cmd.dailyReceiveLimit !== undefined) reserveReceive(ctx, cmd.dailyReceiveLimit);
  if (!cmd.rules) return await storeMessage(ctx, cmd);
  const placed = placeByVerdict(ctx.state, cmd.rules, cmd.folderId, cmd.flags);
  const stored = await storeMessage(ctx, { ...cmd, folderId: placed.folderId, flags: placed.flags });
  recordStoredEvaluation(ctx, cmd.rules, stored.id, placed.applied);
  return stored;
});
