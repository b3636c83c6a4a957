/** What the mailbox actor accepts, answers and announces. No protocol syntax here. */
import type { ParsedMessage } from "../../src/mail/parse-message.ts";

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
  /** Parsed before the command is queued, so parsing never holds the write lock. */
  parsed: ParsedMessage;
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /** Unix seconds; default now. */
  internalDate?: number;
}
export interface AppendReply {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
  threadId: string;
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

/** PUT /messages/{id}: any of flags, folder (a move) and metadata, in one change. */
export interface UpdateMessageCommand {
  kind: "updateMessage";
  messageId: string;
  flags?: Partial<Omit<Flags, "keywords">>;
  folderId?: string;
  metadata?: Record<string, string>;
}

export interface DeleteMessageCommand {
  kind: "deleteMessage";
  messageId: string;
  /** Delete now, even outside Trash (otherwise: move to Trash, or delete if already there). */
  hard: boolean;
}
export interface DeleteMessageReply {
  outcome: "trashed" | "deleted";
}

export interface UpdateFolderCommand {
  kind: "updateFolder";
  folderId: string;
  name?: string;
  parentId?: string | null;
  textColor?: string | null;
  backgroundColor?: string | null;
}

export interface DeleteFolderCommand {
  kind: "deleteFolder";
  folderId: string;
}

export type MailboxCommand =
  | AppendCommand
  | SetFlagsCommand
  | CreateFolderCommand
  | UpdateMessageCommand
  | DeleteMessageCommand
  | UpdateFolderCommand
  | DeleteFolderCommand;

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
  | {
      type: "message.moved";
      messageId: string;
      fromFolderId: string;
      fromUid: number;
      folderId: string;
      uid: number;
      modseq: number;
    }
  | { type: "message.deleted"; folderId: string; messageId: string; uid: number; modseq: number }
  | { type: "folder.created"; folderId: string; name: string }
  | { type: "folder.updated"; folderId: string; name: string }
  | { type: "folder.deleted"; folderId: string };

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
