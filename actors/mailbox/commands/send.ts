import { createHash } from "node:crypto";
import { newId } from "../../../src/ids.ts";
import { reserveSend } from "../../../src/sending/quota.ts";
import { claimScheduledSend } from "../../../src/sending/scheduled-store.ts";
import { blobs, outboundQueue } from "../../../src/store/schema.ts";
import type { Tx } from "../../../src/store/store.ts";
import { purgeMessage, requireMessage } from "../message-rows.ts";
import { nextModseq } from "../state.ts";
import { MailboxError, type SendCommand, type SendReply } from "../types.ts";
import { storeMessage } from "./append.ts";
import type { CommandContext } from "./context.ts";
import { draftChanged } from "./replace-draft.ts";
import { updateMessage } from "./update-message.ts";

const SENT = "sent";
const DRAFTS = "drafts";

/**
 * One message leaving the account, all or nothing: a send is taken from today's quota, the copy
 * is stored in Sent (a draft being sent leaves Drafts and lends the copy its id; a scheduled send
 * is claimed and gives the id it was promised), the answered message is marked, and each remote
 * recipient gets an outbound queue row.
 */
export async function send(ctx: CommandContext, cmd: SendCommand): Promise<SendReply> {
  const { state, tx, now } = ctx;
  await reserveSend(tx, state.grantId, now);
  if (cmd.scheduled) await claimScheduledSend(tx, state, cmd.scheduled.scheduleId, now);
  const id = cmd.draft ? await takeDraft(ctx, cmd.draft) : cmd.scheduled?.messageId;
  const stored = await storeMessage(ctx, {
    folderId: SENT,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: { seen: true, ...cmd.flags, draft: false },
    ...(id && { id }),
  });
  if (cmd.answeredId) {
    await updateMessage(ctx, { kind: "updateMessage", messageId: cmd.answeredId, flags: { answered: true } });
  }
  const queued = await enqueue(tx, state.grantId, stored.id, cmd.outbound, now);
  return { ...stored, queued };
}

/** Removes the draft being sent (its Drafts UID is expunged); returns its id for the Sent copy. */
async function takeDraft(ctx: CommandContext, wanted: { id: string; uid: number }): Promise<string> {
  const { state, tx } = ctx;
  const draft = await requireMessage(tx, state, wanted.id);
  if (draft.folderId !== DRAFTS) throw new MailboxError("not_found", `draft ${wanted.id} does not exist`);
  if (draft.uid !== wanted.uid) throw draftChanged(wanted.id);
  await purgeMessage(tx, state, draft);
  ctx.changes.push({
    type: "message.deleted",
    folderId: draft.folderId,
    messageId: draft.id,
    uid: draft.uid,
    modseq: nextModseq(state),
  });
  return draft.id;
}

async function enqueue(
  tx: Tx,
  grantId: string,
  messageId: string,
  outbound: SendCommand["outbound"],
  now: number,
): Promise<number> {
  if (outbound.recipients.length === 0) return 0;
  const blobHash = await storeBlob(tx, outbound.raw);
  await tx.insert(outboundQueue).values(
    outbound.recipients.map((rcptTo) => ({
      id: newId(),
      grantId,
      messageId,
      mailFrom: outbound.mailFrom,
      rcptTo,
      blobHash,
      status: "queued" as const,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return outbound.recipients.length;
}

/** The bytes to deliver, when they differ from the Sent copy (no Bcc); content-addressed. */
async function storeBlob(tx: Tx, raw: Uint8Array): Promise<string> {
  const hash = createHash("sha256").update(raw).digest("hex");
  await tx
    .insert(blobs)
    .values({ hash, size: raw.byteLength, data: Buffer.from(raw) })
    .onConflictDoNothing();
  return hash;
}
