import { FOLDER } from "./system-folders.ts";

/** System names a rule may use for the six system folders (Nylas: Inbox, Sent, Drafts, Trash, Junk, Archive). */
const SYSTEM_NAMES: Record<string, string> = {
  inbox: FOLDER.inbox,
  sent: FOLDER.sent,
  drafts: FOLDER.drafts,
  trash: FOLDER.trash,
  junk: FOLDER.junk,
  spam: FOLDER.junk,
  archive: FOLDER.archive,
};

/**
 * The folder a rule's `assign_to_folder` names: a system folder's name (any case), a folder id,
 * a folder's name (any case), or a path (`Clients/Acme`) whose last level names it. Undefined
 * when there is none (the action is skipped).
 */
export function folderNamedByRule<F extends { id: string; name: string }>(
  folders: ReadonlyMap<string, F>,
  name: string,
): F | undefined {
  const wanted = name.trim().replace(/^\/+|\/+$/g, "");
  const lower = wanted.toLowerCase();
  const system = SYSTEM_NAMES[lower];
  if (system) return folders.get(system);
  const byId = folders.get(wanted);
  if (byId) return byId;
  const all = [...folders.values()];
  const leaf = lower.slice(lower.lastIndexOf("/") + 1);
  return all.find((f) => f.name.toLowerCase() === lower) ?? all.find((f) => f.name.toLowerCase() === leaf);
}
