import { storingCommand } from "../command.ts";
import { type NewMessage, type StoredMessage, storeMessage } from "../store-message.ts";

/** A message stored in a folder (API drafts and local delivery, the MX, a DSN). */
export const append = storingCommand<NewMessage, StoredMessage>((ctx, cmd) => storeMessage(ctx, cmd));
