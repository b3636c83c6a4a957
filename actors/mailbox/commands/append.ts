import { FOLDER } from "../../../src/domain/system-folders.ts";
import { applyItip } from "../apply-itip.ts";
import { storingCommand } from "../command.ts";
import { type NewMessage, type StoredMessage, storeMessage } from "../store-message.ts";

/**
 * A message stored in a folder (API drafts and local delivery, the MX, a DSN). An invitation
 * arriving in the INBOX is applied to the calendar in the same unit; one that cannot be read
 * leaves the calendar as it was and the message stored all the same.
 */
export const append = storingCommand<NewMessage, StoredMessage>(async (ctx, cmd) => {
  const stored = await storeMessage(ctx, cmd);
  const ics = cmd.prepared.calendar;
  if (cmd.folderId === FOLDER.inbox && ics) {
    const sender = (JSON.parse(cmd.prepared.json.from) as { email?: string }[])[0]?.email ?? null;
    try {
      await applyItip(ctx, ics, sender);
    } catch {
      // Not the message's fault to bear: the calendar keeps its state, the mail is delivered.
    }
  }
  return stored;
});
