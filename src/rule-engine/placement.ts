import { folderNamedByRule } from "../domain/folder-lookup.ts";
import { FOLDER } from "../domain/system-folders.ts";
import type { Destination, Verdict } from "./evaluate.ts";
import type { AppliedActions } from "./vocabulary.ts";

/**
 * Where a verdict puts a message among an account's folders: the first destination that exists
 * (a missing assign_to_folder is skipped), else `defaultFolderId`; mark_as_read and
 * mark_as_starred add flags. What was applied, in the evaluation record's words.
 */
export interface Placement {
  folderId: string;
  seen: boolean;
  flagged: boolean;
  applied: AppliedActions;
}

export function placeVerdict(
  verdict: Verdict,
  folders: ReadonlyMap<string, { id: string; name: string }>,
  defaultFolderId: string,
): Placement {
  const applied: AppliedActions = {};
  let folderId = defaultFolderId;
  for (const d of verdict.destinations) {
    const folder = d.kind === "folder" ? folderNamedByRule(folders, d.name) : folders.get(FOLDER[d.kind]);
    if (!folder) continue;
    folderId = folder.id;
    markApplied(applied, d, folder.id);
    break;
  }
  if (verdict.markRead) applied.marked_as_read = true;
  if (verdict.star) applied.marked_starred = true;
  return { folderId, seen: verdict.markRead, flagged: verdict.star, applied };
}

function markApplied(applied: AppliedActions, d: Destination, folderId: string): void {
  if (d.kind === "junk") applied.marked_as_spam = true;
  else if (d.kind === "trash") applied.trashed = true;
  else if (d.kind === "archive") applied.archived = true;
  else applied.folder_ids = [folderId];
}
