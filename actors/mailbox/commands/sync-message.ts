import {
  messageAtPlace,
  type ProviderPlace,
  placeMessage,
} from "../../../src/mailbox/writes/provider-locations.ts";
import { storingCommand } from "../command.ts";
import { type NewMessage, storeMessage } from "../store-message.ts";

export interface SyncMessageCommand extends NewMessage {
  /** Where the message lives at the provider (a connected account's folder, UIDVALIDITY, UID). */
  at: ProviderPlace;
  /** message.created for a live arrival; none for the historical sync. */
  announce: boolean;
}

export interface SyncMessageReply {
  id: string;
  /** False when this provider message was already stored (a sync resumed after a restart). */
  stored: boolean;
}

/**
 * A connected account's provider message stored locally, with its place at the provider in the
 * same unit: the sync may offer the same message again after a restart and it is stored once.
 */
export const syncMessage = storingCommand<SyncMessageCommand, SyncMessageReply>(async (ctx, cmd) => {
  const known = messageAtPlace(ctx.tx, ctx.state.grantId, cmd.at);
  if (known) return { id: known, stored: false };
  const stored = await storeMessage(ctx, { ...cmd, event: cmd.announce ? "message.created" : null });
  placeMessage(ctx.tx, ctx.state.grantId, stored.id, cmd.at);
  return { id: stored.id, stored: true };
});
