import { MailboxError } from "../../src/domain/errors.ts";
import { type Flags, NO_FLAGS } from "../../src/domain/flags.ts";
import { FOLDER } from "../../src/domain/system-folders.ts";
import { newId } from "../../src/ids.ts";
import type { PreparedMessage } from "../../src/mail/prepared-message.ts";
import { insertBlob } from "../../src/mailbox/writes/blobs.ts";
import { recordMessageStored } from "../../src/mailbox/writes/events.ts";
import {
  insertAttachments,
  insertMessageDetails,
  insertParticipants,
} from "../../src/mailbox/writes/message-details.ts";
import { insertMessageRow } from "../../src/mailbox/writes/messages.ts";
import { insertSearchRow } from "../../src/mailbox/writes/search-index.ts";
import { recordThreadReplies } from "../../src/mailbox/writes/tracking.ts";
import type { Tx } from "../../src/store/db.ts";
import type { CommandContext, MessageBytes } from "./command.ts";
import { nextModseq, nextUid, requireFolder } from "./state.ts";
import { assignThread, recordReferences } from "./threading.ts";

/** A message to store in a folder (its bytes aside), as an append gives it. */
export interface NewMessage {
  folderId: string;
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /** Unix seconds; default now. */
  internalDate?: number;
  /** The MX's SPF/DKIM/DMARC/ARC verdicts, kept on the message (API `authentication`). */
  authentication?: unknown;
  /** The spam verdict of the account's policy (API `spam`). */
  spam?: unknown;
}

/** A stored message, as the commands that store one answer. */
export interface StoredMessage {
  id: string;
  folderId: string;
  uid: number;
  modseq: number;
  threadId: string;
}

/** What storing one message takes: an append's fields, plus what send and replaceDraft need. */
export interface StoreInput extends NewMessage, MessageBytes {
  /** Keep this id (a draft replaced, or sent, under its id); a new one otherwise. */
  id?: string;
  /**
   * The event-log type that announces it; message.created by default. null: none (a connected
   * account's historical sync, which sends no webhooks).
   */
  event?: "message.created" | "message.updated" | null;
}

/** Stores a message: its raw bytes byte-exact, and the parsed model beside them. */
export async function storeMessage(ctx: CommandContext, cmd: StoreInput): Promise<StoredMessage> {
  const { state, tx, now } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const size = cmd.raw.byteLength;
  if (state.storageUsed + size > state.storageQuota) {
    throw new MailboxError(
      "over_quota",
      `storage quota exceeded: ${state.storageUsed + size} of ${state.storageQuota} bytes`,
    );
  }
  const p = cmd.prepared;
  insertBlob(tx, p.sha256, cmd.raw);
  const flags = { ...NO_FLAGS, ...cmd.flags };
  const id = cmd.id ?? newId();
  const uid = nextUid(state, folder);
  const modseq = nextModseq(state);
  const internalDate = cmd.internalDate ?? now;
  const threadId = assignThread(tx, state, p, internalDate);
  const seq = insertMessageRow(tx, {
    id,
    grantId: state.grantId,
    folderId: folder.id,
    uid,
    modseq,
    ...flags,
    keywordsJson: JSON.stringify(flags.keywords),
    blobHash: p.sha256,
    size,
    internalDate,
    messageIdHeader: p.messageId,
    metadataJson: JSON.stringify(cmd.metadata ?? {}),
    createdAt: now,
    threadId,
    subject: p.subject,
    fromJson: p.json.from,
    toJson: p.json.to,
    ccJson: p.json.cc,
    bccJson: p.json.bcc,
    replyToJson: p.json.replyTo,
    snippet: p.snippet,
    hasAttachments: p.attachments.some((a) => !a.isInline),
    inReplyTo: p.inReplyTo,
    referencesJson: p.json.references,
    dateHeader: p.dateHeader,
    extractedJson: p.json.extracted,
    sortKeys: p.sortKeys,
    ...(cmd.authentication !== undefined && { authenticationJson: JSON.stringify(cmd.authentication) }),
    ...(cmd.spam !== undefined && { spamJson: JSON.stringify(cmd.spam) }),
  });
  storeDetails(tx, state.grantId, id, p);
  recordReferences(tx, state, id, p);
  insertSearchRow(tx, seq, state.grantId, p.search);
  state.storageUsed += size;
  const event = cmd.event === undefined ? "message.created" : cmd.event;
  if (event) await recordMessageStored(tx, state, event, { id, threadId, folderId: folder.id });
  if (event && folder.id !== FOLDER.drafts) {
    const refersTo = [...new Set([p.inReplyTo, ...p.references].filter((r): r is string => !!r))];
    await recordThreadReplies(tx, state, {
      id,
      threadId,
      refersTo,
      inReplyTo: p.inReplyTo,
      fromSelf: folder.id === FOLDER.sent,
      now,
    });
  }
  ctx.changes.push({ type: "message.created", folderId: folder.id, messageId: id, uid, modseq });
  return { id, folderId: folder.id, uid, modseq, threadId };
}

function storeDetails(tx: Tx, grantId: string, messageId: string, p: PreparedMessage): void {
  insertMessageDetails(tx, messageId, {
    body: p.body,
    envelopeJson: p.json.envelope,
    bodystructureJson: p.json.bodyStructure,
    treeJson: p.json.tree,
    searchText: p.imapText,
  });
  insertParticipants(tx, messageId, grantId, p.participants);
  insertAttachments(
    tx,
    messageId,
    grantId,
    p.attachments.map((a) => ({ id: newId(), ...a })),
  );
}
