import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { recordEvent } from "../../../src/events/outbox.ts";
import { newId } from "../../../src/ids.ts";
import type { ParsedMessage } from "../../../src/mail/parse-message.ts";
import { searchDocument } from "../../../src/mail/search/index-text.ts";
import {
  attachments,
  blobs,
  messageAddresses,
  messageBodies,
  messageMime,
  messages,
} from "../../../src/store/schema.ts";
import type { Tx } from "../../../src/store/store.ts";
import { nextModseq, nextUid, requireFolder } from "../state.ts";
import { assignThread } from "../threading.ts";
import { type AppendCommand, type AppendReply, MailboxError, NO_FLAGS } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** Stores a message: its raw bytes byte-exact, and the parsed model beside them. */
export async function append(ctx: CommandContext, cmd: AppendCommand): Promise<AppendReply> {
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
  await tx
    .insert(blobs)
    .values({ hash, size, data: Buffer.from(cmd.raw) })
    .onConflictDoNothing();
  const flags = { ...NO_FLAGS, ...cmd.flags };
  const id = newId();
  const uid = nextUid(state, folder);
  const modseq = nextModseq(state);
  const internalDate = cmd.internalDate ?? now;
  const threadId = await assignThread(tx, state.grantId, p, internalDate);
  const [inserted] = await tx
    .insert(messages)
    .values({
      id,
      grantId: state.grantId,
      folderId: folder.id,
      uid,
      modseq,
      seen: flags.seen,
      flagged: flags.flagged,
      answered: flags.answered,
      draft: flags.draft,
      deleted: flags.deleted,
      keywordsJson: JSON.stringify(flags.keywords),
      blobHash: hash,
      size,
      internalDate,
      messageIdHeader: p.messageId,
      metadataJson: JSON.stringify(cmd.metadata ?? {}),
      createdAt: now,
      updatedAt: now,
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
    })
    .returning({ seq: sql<number>`rowid` });
  await storeDetails(tx, state.grantId, id, p);
  await indexForSearch(tx, inserted?.seq ?? 0, p);
  state.storageUsed += size;
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "message.created",
    object: { id, grant_id: state.grantId, thread_id: threadId, folders: [folder.id] },
  });
  ctx.changes.push({ type: "message.created", folderId: folder.id, messageId: id, uid, modseq });
  return { id, folderId: folder.id, uid, modseq, threadId };
}

async function storeDetails(tx: Tx, grantId: string, messageId: string, p: ParsedMessage): Promise<void> {
  await tx.insert(messageBodies).values({ messageId, body: p.body });
  await tx.insert(messageMime).values({
    messageId,
    envelopeJson: JSON.stringify(p.envelope),
    bodystructureJson: JSON.stringify(p.bodyStructure),
    treeJson: JSON.stringify(p.tree),
  });
  const people = [
    ...p.from.map((x) => ["from", x.email] as const),
    ...p.to.map((x) => ["to", x.email] as const),
    ...p.cc.map((x) => ["cc", x.email] as const),
    ...p.bcc.map((x) => ["bcc", x.email] as const),
    ...p.replyTo.map((x) => ["reply_to", x.email] as const),
  ];
  if (people.length > 0) {
    await tx
      .insert(messageAddresses)
      .values(people.map(([kind, email]) => ({ messageId, grantId, kind, email })));
  }
  if (p.attachments.length > 0) {
    await tx.insert(attachments).values(
      p.attachments.map((a) => ({
        id: newId(),
        messageId,
        grantId,
        partPath: a.partPath,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        contentId: a.contentId,
        disposition: a.disposition,
        isInline: a.isInline,
      })),
    );
  }
}

async function indexForSearch(tx: Tx, seq: number, p: ParsedMessage): Promise<void> {
  const doc = searchDocument({
    subject: p.subject ?? "",
    from: p.from,
    to: p.to,
    cc: p.cc,
    bcc: p.bcc,
    replyTo: p.replyTo,
    bodyText: p.text,
    attachmentFilenames: p.attachments.flatMap((a) => (a.filename ? [a.filename] : [])),
  });
  await tx.run(
    sql`INSERT INTO messages_fts (rowid, subject, participants, from_addr, to_addr, cc_addr, body, filenames)
        VALUES (${seq}, ${doc.subject}, ${doc.participants}, ${doc.from_addr}, ${doc.to_addr}, ${doc.cc_addr}, ${doc.body}, ${doc.filenames})`,
  );
}
