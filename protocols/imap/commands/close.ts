import { type ImapCommand, SELECTED } from "../command.ts";
import { ok } from "../completion.ts";

/** CLOSE: expunge silently (read-write only), then leave the mailbox. */
export const close: ImapCommand = {
  name: "CLOSE",
  states: SELECTED,
  async handle(session, args) {
    args.end();
    const selected = session.requireSelected();
    session.deselect();
    if (!selected.readOnly) {
      await session.ctx.mailboxes.ask(session.grantId, "expunge", { folderId: selected.folderId });
    }
    return ok("CLOSE completed");
  },
};

/** UNSELECT (RFC 3691): leave the mailbox without expunging. */
export const unselect: ImapCommand = {
  name: "UNSELECT",
  states: SELECTED,
  async handle(session, args) {
    args.end();
    session.deselect();
    return ok("UNSELECT completed");
  },
};
