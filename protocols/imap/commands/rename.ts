import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";
import { DELIMITER, leafName, normalizePath, parentPath } from "../mailbox-names.ts";
import { ensurePath } from "./create.ts";

/** RENAME: a custom folder gets a new name and/or parent; its subfolders follow it. */
export const rename: ImapCommand = {
  name: "RENAME",
  states: AUTHENTICATED,
  async handle(session, args) {
    const from = args.mailbox("existing mailbox name");
    const to = normalizePath(args.mailbox("new mailbox name"));
    args.end();
    const tree = session.mailboxTree();
    const entry = tree.find(from);
    if (!entry) return no(`Mailbox ${JSON.stringify(from)} does not exist`, "NONEXISTENT");
    if (entry.folder.id === "inbox") return no("Renaming INBOX is not supported", "CANNOT");
    if (to === "" || to.split(DELIMITER).some((p) => p.trim() === ""))
      return no("Invalid mailbox name", "CANNOT");
    const existing = tree.find(to);
    if (existing && existing.folder.id !== entry.folder.id) {
      return no(`Mailbox ${JSON.stringify(to)} already exists`, "ALREADYEXISTS");
    }
    if (to.startsWith(entry.path + DELIMITER)) return no("A mailbox cannot move below itself", "CANNOT");
    const parent = parentPath(to);
    const parentId = parent === "" ? null : await ensurePath(session, tree, parent);
    await session.ctx.mailboxes.ask(session.grantId, "updateFolder", {
      folderId: entry.folder.id,
      name: leafName(to),
      parentId,
    });
    return ok("RENAME completed");
  },
};
