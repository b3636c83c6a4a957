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
    requireNamesFree(tree, plan.missing);
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
  missing: string[];
}

/** The longest existing prefix of `path` (its folder is the parent) and the levels below it. */
export function planPath(tree: MailboxTree, path: string): PathPlan {
  const parts = path.split(DELIMITER);
  for (let depth = parts.length; depth > 0; depth--) {
    const existing = tree.find(parts.slice(0, depth).join(DELIMITER));
    if (existing) return { parentId: existing.folder.id, missing: parts.slice(depth) };
  }
  return { parentId: null, missing: parts };
}

/**
 * Refuses (NO, before anything is created) names that cannot all be taken: folder names are unique
 * per account, case-insensitively, so each must differ from every folder's name (but `exceptId`'s,
 * a folder being renamed) and from the others.
 */
export function requireNamesFree(tree: MailboxTree, names: string[], exceptId?: string): void {
  const taken = new Map(
    tree.entries
      .filter((e) => e.folder.id !== exceptId)
      .map((e) => [e.folder.name.toLowerCase(), e.folder.name]),
  );
  for (const name of names) {
    const clash = taken.get(name.toLowerCase());
    if (clash !== undefined) {
      const text = `A folder named ${JSON.stringify(clash)} already exists (folder names are unique per account)`;
      throw new CommandError(no(text, "ALREADYEXISTS"));
    }
    taken.set(name.toLowerCase(), name);
  }
}

/** Creates the planned levels, each under the last; returns the id of the deepest. */
export async function createPath(session: CommandSession, plan: PathPlan): Promise<string | null> {
  let parentId = plan.parentId;
  for (const name of plan.missing) {
    parentId = (await session.ctx.mailboxes.ask(session.grantId, "createFolder", { name, parentId })).id;
  }
  return parentId;
}
