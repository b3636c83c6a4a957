import { MailboxError } from "../../../src/domain/errors.ts";
import { dropSubscription, setSubscribed as setSubscribedRow } from "../../../src/mailbox/writes/folders.ts";
import { command } from "../command.ts";
import { requireFolder } from "../state.ts";

/** A folder, or an IMAP name whose folder is gone (it can only be unsubscribed). */
export type SetSubscribedCommand =
  | { folderId: string; subscribed: boolean }
  | { imapName: string; subscribed: false };

/** IMAP SUBSCRIBE / UNSUBSCRIBE: the folder's `subscribed` mark (LSUB, LIST (SUBSCRIBED)). */
export const setSubscribed = command<SetSubscribedCommand, void>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  if ("imapName" in cmd) {
    if (!dropSubscription(tx, state.grantId, cmd.imapName))
      throw new MailboxError("not_found", `mailbox "${cmd.imapName}" does not exist`);
    ctx.changes.push({
      type: "subscription.changed",
      folderId: null,
      imapName: cmd.imapName,
      subscribed: false,
    });
    return;
  }
  const folder = requireFolder(state, cmd.folderId);
  setSubscribedRow(tx, state.grantId, folder.id, cmd.subscribed, now);
  ctx.changes.push({
    type: "subscription.changed",
    folderId: folder.id,
    imapName: null,
    subscribed: cmd.subscribed,
  });
});
