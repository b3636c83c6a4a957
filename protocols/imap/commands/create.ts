import { folderNameProblem } from "../../../src/domain/folder-name.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { CommandError, type Completion, no, ok } from "../completion.ts";
import { DELIMITER, type MailboxTree, normalizePath } from "../mailbox-names.ts";

/** CREATE: a custom folder; missing parent levels are created too ("a/b/c"), or none of them. */
export const create: ImapCommand = {
  name: "CREATE",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = normalizePath(args.mailbox());
    args.end();
    const invalid = nameRefusal(name);
    if (invalid) return invalid;
    const tree = session.mailboxTree();
    if (tree.find(name)) return no(`Mailbox ${JSON.stringify(name)} already exists`, "ALREADYEXISTS");
    const plan = planPath(tree, name);
    requireNameFree(tree, plan.parentId, plan.missing[0] as string);
    await createPath(session, plan);
    return ok("CREATE completed");
  },
};

/** NO [CANNOT] naming what is wrong with a mailbox name, or null when it is valid. */
export function nameRefusal(name: string): Completion | null {
  const problem = folderNameProblem(name);
  return problem ? no(`Invalid mailbox name: ${problem}`, "CANNOT") : null;
}

/** The deepest level of a path that exists, and the levels below it still to create. */
export interface PathPlan {
  parentId: string | null;
  /** The existing parent's IMAP name ("" at the top level). */
  parentPath: string;
  missing: string[];
}

/** The longest existing prefix of `path` (its folder is the parent) and the levels below it. */
export function planPath(tree: MailboxTree, path: string): PathPlan {
  const parts = path.split(DELIMITER);
  for (let depth = parts.length; depth > 0; depth--) {
    const parentPath = parts.slice(0, depth).join(DELIMITER);
    const existing = tree.find(parentPath);
    if (existing)
      return { parentId: existing.folder.id, parentPath: existing.path, missing: parts.slice(depth) };
  }
  return { parentId: null, parentPath: "", missing: parts };
}

/**
 * Refuses (NO, before anything is created) a name a sibling already has: folder names are unique
 * among the children of one parent, case-insensitively. `exceptId` is a folder being renamed.
 */
export function requireNameFree(
  tree: MailboxTree,
  parentId: string | null,
  name: string,
  exceptId?: string,
): void {
  const clash = tree.entries.find(
    (e) =>
      e.folder.id !== exceptId &&
      e.folder.parentId === parentId &&
      e.folder.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) {
    throw new CommandError(
      no(`A folder named ${JSON.stringify(clash.folder.name)} already exists there`, "ALREADYEXISTS"),
    );
  }
}

/** Creates the planned levels, each under the last; returns the id of the deepest. */
export async function createPath(session: CommandSession, plan: PathPlan): Promise<string | null> {
  let parentId = plan.parentId;
  let path = plan.parentPath;
  for (const name of plan.missing) {
    path = path === "" ? name : `${path}${DELIMITER}${name}`;
    const created = await session.ctx.mailboxes.ask(session.grantId, "createFolder", {
      name,
      parentId,
      imapName: path,
    });
    parentId = created.id;
  }
  return parentId;
}
