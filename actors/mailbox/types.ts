/** What the mailbox actor accepts, answers and announces. No protocol syntax here. */
import type { FlagChange, Flags } from "../../src/domain/flags.ts";
import type { PreparedMessage } from "../../src/mail/prepared-message.ts";

export interface AppendCommand {
  kind: "append";
  folderId: string;
  raw: Uint8Array;
  /** Prepared before the command is queued, so parsing never holds the write lock. */
  prepared: PreparedMessage;
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /** Unix seconds; default now. */
  internalDate?: number;
  /** The MX's SPF/DKIM/DMARC/ARC verdicts, kept on the message (API `authentication`). */
  authentication?: unknown;
}
export interface AppendReply {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
  threadId: string;
}

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

/**
 * A message leaving the account, as one unit: the quota is taken, the copy is stored in Sent
 * (a draft being sent leaves Drafts for it), and a queue row is written per remote recipient.
 */
export interface SendCommand {
  kind: "send";
  /** The Sent copy (with Bcc, when there is one). */
  raw: Uint8Array;
  prepared: PreparedMessage;
  /** What leaves the server: the bytes without Bcc, the envelope sender and remote recipients. */
  outbound: { raw: Uint8Array; mailFrom: string; recipients: string[] };
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /**
   * A draft being sent: it leaves Drafts, and the Sent copy keeps its id. `uid` is the version
   * that was composed; if the draft was saved again meanwhile, the send is refused (conflict).
   */
  draft?: { id: string; uid: number };
  /** The message answered (reply_to_message_id): it gets \Answered. */
  answeredId?: string;
  /**
   * A scheduled send coming due: the Sent copy takes the id given when it was scheduled, and the
   * schedule is claimed in the same unit (refused if it was cancelled or already sent).
   */
  scheduled?: { scheduleId: string; messageId: string };
}
export interface SendReply extends AppendReply {
  queued: number;
}

/** PUT /drafts/{id}: the draft's new bytes replace the old under the same id (new UID). */
export interface ReplaceDraftCommand {
  kind: "replaceDraft";
  draftId: string;
  /** The version the new bytes were composed from; another save meanwhile is a conflict. */
  expectedUid: number;
  raw: Uint8Array;
  prepared: PreparedMessage;
  metadata: Record<string, string>;
  flags: Partial<Flags>;
}

/** IMAP STORE: flags of messages named by UID in one folder; CONDSTORE's UNCHANGEDSINCE. */
export interface StoreFlagsCommand {
  kind: "storeFlags";
  folderId: string;
  uids: number[];
  change: FlagChange;
  /** Leave alone (and report in `modified`) every message whose MODSEQ is above this. */
  unchangedSince?: number;
}
export interface StoreFlagsReply {
  /** Every message the STORE applied to, changed or not, with its flags after. */
  messages: { id: string; uid: number; modseq: number; flags: Flags; changed: boolean }[];
  /** UIDs refused by `unchangedSince`. */
  modified: number[];
}

/** IMAP COPY: independent copies in another folder; the sources come prepared. */
export interface CopyMessagesCommand {
  kind: "copyMessages";
  folderId: string;
  targetFolderId: string;
  sources: { id: string; uid: number; raw: Uint8Array; prepared: PreparedMessage }[];
}
export interface CopyMessagesReply {
  copied: { fromUid: number; uid: number; id: string }[];
}

/** IMAP MOVE: messages named by UID change folder. */
export interface MoveMessagesCommand {
  kind: "moveMessages";
  folderId: string;
  uids: number[];
  targetFolderId: string;
}
export interface MoveMessagesReply {
  moved: { fromUid: number; uid: number; id: string }[];
}

/** IMAP EXPUNGE (every \Deleted message of the folder) or UID EXPUNGE (only those of `uids`). */
export interface ExpungeCommand {
  kind: "expunge";
  folderId: string;
  uids?: number[];
}
export interface ExpungeReply {
  expunged: { uid: number; id: string; outcome: "trashed" | "deleted" }[];
}

/** IMAP APPEND: an append de-duplicated on Message-ID within the folder (not in Drafts). */
export interface ImapAppendCommand extends Omit<AppendCommand, "kind"> {
  kind: "imapAppend";
}
export interface ImapAppendReply extends AppendReply {
  /** The folder already held this Message-ID: nothing was stored, the reply names that message. */
  existing: boolean;
}

/** IMAP SUBSCRIBE / UNSUBSCRIBE. */
export interface SetSubscribedCommand {
  kind: "setSubscribed";
  folderId: string;
  subscribed: boolean;
}

export type MailboxCommand =
  | AppendCommand
  | SendCommand
  | ReplaceDraftCommand
  | SetFlagsCommand
  | CreateFolderCommand
  | UpdateMessageCommand
  | DeleteMessageCommand
  | UpdateFolderCommand
  | DeleteFolderCommand
  | StoreFlagsCommand
  | CopyMessagesCommand
  | MoveMessagesCommand
  | ExpungeCommand
  | ImapAppendCommand
  | SetSubscribedCommand;
