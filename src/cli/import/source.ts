/** One message of a mailbox being imported, and where the source stands after it. */
export interface SourceMessage {
  bytes: Uint8Array;
  /** Where to resume after this message: a byte offset (mbox) or a file count (maildir). */
  next: number;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  /** Unix seconds, when the source says when it arrived. */
  receivedAt?: number;
}

/** A mailbox to import: how big it is (for progress) and its messages from a resume position. */
export interface MailSource {
  /** In the unit of `next`: bytes (mbox) or files (maildir). */
  total: number;
  unit: "bytes" | "messages";
  /** Identifies the source's content for resuming: size and modification time. */
  fingerprint: string;
  messages(from: number): AsyncGenerator<SourceMessage>;
}
