import type { Flags } from "./flags.ts";

/** A committed change to one grant's mailbox, as the change bus carries it to live subscribers. */
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
  | { type: "folder.deleted"; folderId: string }
  /** IMAP SUBSCRIBE / UNSUBSCRIBE: a folder, or the name of one deleted while subscribed. */
  | { type: "subscription.changed"; folderId: string | null; imapName: string | null; subscribed: boolean };
