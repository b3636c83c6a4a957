import { createHash } from "node:crypto";
import { recordEvent } from "../../../src/events/outbox.ts";
import { newId } from "../../../src/ids.ts";
import type { ParsedMessage } from "../../../src/mail/parse-message.ts";
import { searchDocument } from "../../../src/mail/search/index-text.ts";
import {
  insertAttachments,
  insertBlob,
  insertMessageDetails,
  insertMessageRow,
  insertParticipants,
  insertSearchRow,
} from "../../../src/store/ingest-sql.ts";
import type { Tx } from "../../../src/store/store.ts";
import { nextModseq, nextUid, requireFolder } from "../state.ts";
import { assignThread, recordReferences } from "../threading.ts";
import { type AppendCommand, type AppendReply, MailboxError, NO_FLAGS } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** What storing one message takes: an append's fields, plus what send and replaceDraft need. */
export interface StoreInput extends Omit<AppendCommand, "kind"> {
  /** Keep this id (a draft replaced, or sent, under its id); a new one otherwise. */
  id?: string;
  /** The event-log type that announces it; message.created by default. */
  event?: "message.created" | "message.updated";
}

export function append(ctx: CommandContext, cmd: AppendCommand): Promise<AppendReply> {
  return storeMessage(ctx, cmd);
}

/** Stores a message: its raw bytes byte-exact, and the parsed model beside them. */
export async function storeMessage(ctx: CommandContext, cmd: StoreInput): Promise<AppendReply> {
  const { state, tx, now } = ctx;
  const folder = requireFolder(state, cmd.folderId);
  const size = cmd.raw.byteLength;
  if (state.storageUsed + size > state.storageQuota) {
    throw new MailboxError(
      "over_quota",
      `storage quota exceeded: ${state.storageUsed + size} of ${state.storageQuota} bytes`,
    );
  }
  const p = cmd.parsed;
  const hash = createHash("sha256").update(cmd.raw).digest("hex");
  insertBlob(tx, hash, cmd.raw);
  const flags = { ...NO_FLAGS, ...cmd.flags };
  const id = cmd.id ?? newId();
  const uid = nextUid(state, folder);
  const modseq = nextModseq(state);
  const internalDate = cmd.internalDate ?? now;
  const threadId = assignThread(tx, state.grantId, p, internalDate);
  const seq = insertMessageRow(tx, {
    id,
    grantId: state.grantId,
    folderId: folder.id,
    uid,
    modseq,
    ...flags,
    keywordsJson: JSON.stringify(flags.keywords),
    blobHash: hash,
    size,
    internalDate,
    messageIdHeader: p.messageId,
    metadataJson: JSON.stringify(cmd.metadata ?? {}),
    createdAt: now,
    threadId,
    subject: p.subject,
    fromJson: JSON.stringify(p.from),
    toJson: JSON.stringify(p.to),
    ccJson: JSON.stringify(p.cc),
    bccJson: JSON.stringify(p.bcc),
    replyToJson: JSON.stringify(p.replyTo),
    snippet: p.snippet,
    hasAttachments: p.attachments.some((a) => !a.isInline),
    inReplyTo: p.inReplyTo,
    referencesJson: JSON.stringify(p.references),
    dateHeader: p.dateHeader,
    extractedJson: JSON.stringify(p.extracted),
    ...(cmd.authentication !== undefined && { authenticationJson: JSON.stringify(cmd.authentication) }),
  });
  storeDetails(tx, state.grantId, id, p);
  recordReferences(tx, state.grantId, id, p);
  insertSearchRow(tx, seq, searchColumns(p));
  state.storageUsed += size;
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: cmd.event ?? "message.created",
    object: { id, grant_id: state.grantId, thread_id: threadId, folders: [folder.id] },
  });
  ctx.changes.push({ type: "message.created", folderId: folder.id, messageId: id, uid, modseq });
  return { id, folderId: folder.id, uid, modseq, threadId };
}

function storeDetails(tx: Tx, grantId: string, messageId: string, p: ParsedMessage): void {
  insertMessageDetails(tx, messageId, {
    body: p.body,
    envelopeJson: JSON.stringify(p.envelope),
    bodystructureJson: JSON.stringify(p.bodyStructure),
    treeJson: JSON.stringify(p.tree),
  });
  insertParticipants(tx, messageId, grantId, [
    ...p.from.map((x) => ["from", x.email] as [string, string]),
    ...p.to.map((x) => ["to", x.email] as [string, string]),
    ...p.cc.map((x) => ["cc", x.email] as [string, string]),
    ...p.bcc.map((x) => ["bcc", x.email] as [string, string]),
    ...p.replyTo.map((x) => ["reply_to", x.email] as [string, string]),
  ]);
  insertAttachments(
    tx,
    messageId,
    grantId,
    p.attachments.map((a) => ({ id: newId(), ...a })),
  );
}

function searchColumns(p: ParsedMessage) {
  return searchDocument({
    subject: p.subject ?? "",
    from: p.from,
    to: p.to,
    cc: p.cc,
    bcc: p.bcc,
    replyTo: p.replyTo,
    bodyText: p.text,
    attachmentFilenames: p.attachments.flatMap((a) => (a.filename ? [a.filename] : [])),
  });
}
