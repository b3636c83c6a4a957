import type { FolderView } from "../mailbox/folders.ts";
import { withoutNulls } from "./omit-null.ts";

/** Nylas folder object (reference §4.3); `parent_id` and the colours are absent when unset. */
export function presentFolder(v: FolderView) {
  const f = v.row;
  return withoutNulls({
    object: "folder",
    id: f.id,
    grant_id: f.grantId,
    name: f.name,
    system_folder: f.systemFolder,
    attributes: f.specialUse ? [f.specialUse] : [],
    parent_id: f.parentId,
    child_count: v.children,
    total_count: v.total,
    unread_count: v.unread,
    text_color: f.textColor,
    background_color: f.backgroundColor,
  });
}
