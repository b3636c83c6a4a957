import { createHash } from "node:crypto";
import { recordEvent } from "../../../src/events/outbox.ts";
import { newId } from "../../../src/ids.ts";
import { blobs, messages } from "../../../src/store/schema.ts";
import { nextModseq, nextUid, requireFolder } from "../state.ts";
import { type AppendCommand, type AppendReply, MailboxError, NO_FLAGS } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** Stores raw RFC 5322 bytes, byte-exact, as a new message in a folder. */
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
  const hash = createHash("sha256").update(cmd.raw).digest("hex");
  await tx
    .insert(blobs)
    .values({ hash, size, data: Buffer.from(cmd.raw) })
    .onConflictDoNothing();
  const flags = { ...NO_FLAGS, ...cmd.flags };
  const id = newId();
  const uid = nextUid(state, folder);
  const modseq = nextModseq(state);
  await tx.insert(messages).values({
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
    internalDate: cmd.internalDate ?? now,
    createdAt: now,
    updatedAt: now,
  });
  state.storageUsed += size;
  await recordEvent(tx, {
    applicationId: state.applicationId,
    grantId: state.grantId,
    type: "message.created",
    object: { id, grant_id: state.grantId, folders: [folder.id] },
  });
  ctx.changes.push({ type: "message.created", folderId: folder.id, messageId: id, uid, modseq });
  return { id, folderId: folder.id, uid, modseq };
}
