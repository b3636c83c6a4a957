import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";

/** DELETE: a custom folder and its messages (system folders stay; subfolders first). */
export const deleteMailbox: ImapCommand = {
  name: "DELETE",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = args.mailbox();
    args.end();
    const entry = session.findMailbox(name);
    if (entry.folder.id === "inbox") return no("INBOX cannot be deleted", "CANNOT");
    if (session.selected?.folderId === entry.folder.id) session.deselect();
    await session.ctx.mailboxes.ask(session.grantId, "deleteFolder", {
      folderId: entry.folder.id,
      imapName: entry.path,
    });
    return ok("DELETE completed");
  },
};
