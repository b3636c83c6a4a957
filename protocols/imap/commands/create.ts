import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { no, ok } from "../completion.ts";
import { DELIMITER, type MailboxTree, normalizePath } from "../mailbox-names.ts";

/** CREATE: a custom folder; missing parent levels are created too ("a/b/c"). */
export const create: ImapCommand = {
  name: "CREATE",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = normalizePath(args.mailbox());
    args.end();
    if (name === "" || name.split(DELIMITER).some((part) => part.trim() === "")) {
      return no("Invalid mailbox name", "CANNOT");
    }
    const tree = session.mailboxTree();
    if (tree.find(name)) return no(`Mailbox ${JSON.stringify(name)} already exists`, "ALREADYEXISTS");
    await ensurePath(session, tree, name);
    return ok("CREATE completed");
  },
};

/** Creates each missing level of `path`; returns the id of the last. */
export async function ensurePath(session: CommandSession, tree: MailboxTree, path: string): Promise<string> {
  const parts = path.split(DELIMITER);
  let parentId: string | null = null;
  for (let i = 0; i < parts.length; i++) {
    const prefix = parts.slice(0, i + 1).join(DELIMITER);
    const existing = tree.find(prefix);
    if (existing) {
      parentId = existing.folder.id;
      continue;
    }
    const name = parts[i] as string;
    const created: { id: string } = await session.ctx.mailboxes.ask(session.grantId, "createFolder", {
      name,
      parentId,
      imapName: prefix,
    });
    parentId = created.id;
  }
  return parentId as string;
}
