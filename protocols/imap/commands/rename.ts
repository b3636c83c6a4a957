import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";
import { DELIMITER, leafName, normalizePath, parentPath } from "../mailbox-names.ts";
import { createPath, nameRefusal, planPath, requireNameFree } from "./create.ts";

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
    const invalid = nameRefusal(to);
    if (invalid) return invalid;
    const existing = tree.find(to);
    if (existing && existing.folder.id !== entry.folder.id) {
      return no(`Mailbox ${JSON.stringify(to)} already exists`, "ALREADYEXISTS");
    }
    if (to.startsWith(entry.path + DELIMITER)) return no("A mailbox cannot move below itself", "CANNOT");
    // Every new level and the new name are checked before anything is created.
    const parent = parentPath(to);
    const plan = parent === "" ? { parentId: null, parentPath: "", missing: [] } : planPath(tree, parent);
    requireNameFree(tree, plan.parentId, plan.missing[0] ?? leafName(to), entry.folder.id);
    const parentId = await createPath(session, plan);
    await session.ctx.mailboxes.ask(session.grantId, "updateFolder", {
      folderId: entry.folder.id,
      name: leafName(to),
      parentId,
    });
    return ok("RENAME completed");
  },
};
