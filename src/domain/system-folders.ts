/** The six folders every agent account has, with stable ids equal to their lower-case names. */
export const SYSTEM_FOLDERS = [
  { id: "inbox", name: "INBOX", specialUse: "\\Inbox" },
  { id: "sent", name: "Sent", specialUse: "\\Sent" },
  { id: "drafts", name: "Drafts", specialUse: "\\Drafts" },
  { id: "trash", name: "Trash", specialUse: "\\Trash" },
  { id: "junk", name: "Junk", specialUse: "\\Junk" },
  { id: "archive", name: "Archive", specialUse: "\\Archive" },
] as const;

export type SystemFolderId = (typeof SYSTEM_FOLDERS)[number]["id"];

/** The system folders' ids by name, for code that files messages into them. */
export const FOLDER = {
  inbox: "inbox",
  sent: "sent",
  drafts: "drafts",
  trash: "trash",
  junk: "junk",
  archive: "archive",
} as const satisfies Record<SystemFolderId, SystemFolderId>;
