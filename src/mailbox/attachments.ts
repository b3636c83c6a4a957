import { and, eq } from "drizzle-orm";
import { decodePart } from "../mail/attachments.ts";
import type { MimeNode } from "../mail/mime-tree.ts";
import { findPart } from "../mail/parts.ts";
import { type AttachmentRow, attachments, messageMime, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { rawMessage } from "./messages.ts";

export function findAttachment(
  store: Store,
  grantId: string,
  messageId: string,
  attachmentId: string,
): AttachmentRow | null {
  const row = store.read
    .select()
    .from(attachments)
    .where(
      and(
        eq(attachments.grantId, grantId),
        eq(attachments.messageId, messageId),
        eq(attachments.id, attachmentId),
      ),
    )
    .get();
  return row ?? null;
}

/** The decoded bytes of one attachment, cut from the stored raw message with the cached MIME tree. */
export function attachmentBytes(store: Store, a: AttachmentRow): Uint8Array | null {
  const row = store.read
    .select({ blobHash: messages.blobHash, tree: messageMime.treeJson })
    .from(messages)
    .innerJoin(messageMime, eq(messageMime.messageId, messages.id))
    .where(eq(messages.id, a.messageId))
    .get();
  if (!row) return null;
  const raw = rawMessage(store, row.blobHash);
  const node = raw ? findPart(JSON.parse(row.tree) as MimeNode, a.partPath) : null;
  return raw && node ? decodePart(raw, node) : null;
}
