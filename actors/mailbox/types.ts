/** What the mailbox actor accepts, answers and announces. No protocol syntax here. */

export interface Flags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  deleted: boolean;
  /** Any other IMAP keyword, kept as given. */
  keywords: string[];
}

export const NO_FLAGS: Flags = {
  seen: false,
  flagged: false,
  answered: false,
  draft: false,
  deleted: false,
  keywords: [],
};

export interface AppendCommand {
  kind: "append";
  folderId: string;
  raw: Uint8Array;
  flags?: Partial<Flags>;
  /** Unix seconds; default now. */
  internalDate?: number;
}
export interface AppendReply {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
}

export type FlagChange =
  | { mode: "set"; flags: Partial<Flags> }
  | { mode: "add" | "remove"; flags: Partial<Flags> };

export interface SetFlagsCommand {
  kind: "setFlags";
  messageIds: string[];
  change: FlagChange;
}
export interface SetFlagsReply {
  updated: { id: string; folderId: string; uid: number; modseq: number; flags: Flags }[];
}

export interface CreateFolderCommand {
  kind: "createFolder";
  name: string;
  parentId?: string | null;
}
export interface CreateFolderReply {
  id: string;
  name: string;
  uidValidity: number;
}

export type MailboxCommand = AppendCommand | SetFlagsCommand | CreateFolderCommand;

export type MailboxChange =
  | { type: "message.created"; folderId: string; messageId: string; uid: number; modseq: number }
  | {
      type: "message.updated";
      folderId: string;
      messageId: string;
      uid: number;
      modseq: number;
      flags: Flags;
    }
  | { type: "folder.created"; folderId: string; name: string };

export type MailboxErrorCode = "not_found" | "invalid" | "over_quota" | "conflict" | "too_big";

/** A refusal the caller can act on; protocols map `code` to their own error (NO [OVERQUOTA], 4xx …). */
export class MailboxError extends Error {
  constructor(
    readonly code: MailboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MailboxError";
  }
}
