import { eq } from "drizzle-orm";
import { decodePart } from "../mail/attachments.ts";
import type { MimeNode } from "../mail/mime-tree.ts";
import { findPart } from "../mail/parts.ts";
import { type AttachmentRow, messageMime, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { rawMessage } from "./messages.ts";

/** The decoded bytes of one attachment, cut from the stored raw message with the cached MIME tree. */
export async function attachmentBytes(store: Store, a: AttachmentRow): Promise<Uint8Array | null> {
  const [row] = await store.read
    .select({ blobHash: messages.blobHash, tree: messageMime.treeJson })
    .from(messages)
    .innerJoin(messageMime, eq(messageMime.messageId, messages.id))
    .where(eq(messages.id, a.messageId));
  if (!row) return null;
  const raw = rawMessage(store, row.blobHash);
  const node = raw ? findPart(JSON.parse(row.tree) as MimeNode, a.partPath) : null;
  return raw && node ? decodePart(raw, node) : null;
}
