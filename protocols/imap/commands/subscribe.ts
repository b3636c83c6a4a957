import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";
import { normalizePath } from "../mailbox-names.ts";

/**
 * SUBSCRIBE names an existing mailbox; UNSUBSCRIBE also takes a name whose mailbox was deleted
 * while subscribed (RFC 3501 §6.3.6: the server keeps such names).
 */
function subscription(name: "SUBSCRIBE" | "UNSUBSCRIBE"): ImapCommand {
  return {
    name,
    states: AUTHENTICATED,
    async handle(session, args) {
      const mailbox = args.mailbox();
      args.end();
      const subscribed = name === "SUBSCRIBE";
      const found = subscribed ? session.findMailbox(mailbox) : session.mailboxTree().find(mailbox);
      await session.ctx.mailboxes.ask(
        session.grantId,
        "setSubscribed",
        found
          ? { folderId: found.folder.id, subscribed }
          : { imapName: normalizePath(mailbox), subscribed: false },
      );
      return ok(`${name} completed`);
    },
  };
}

export const subscribe = subscription("SUBSCRIBE");
export const unsubscribe = subscription("UNSUBSCRIBE");
