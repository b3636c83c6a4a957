import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

function subscription(name: "SUBSCRIBE" | "UNSUBSCRIBE"): ImapCommand {
  return {
    name,
    states: AUTHENTICATED,
    async handle(session, args) {
      const mailbox = args.mailbox();
      args.end();
      const entry = session.findMailbox(mailbox);
      await session.ctx.mailboxes.ask(session.grantId, "setSubscribed", {
        folderId: entry.folder.id,
        subscribed: name === "SUBSCRIBE",
      });
      return ok(`${name} completed`);
    },
  };
}

export const subscribe = subscription("SUBSCRIBE");
export const unsubscribe = subscription("UNSUBSCRIBE");
