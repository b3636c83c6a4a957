/** Queue rows a send writes for its remote recipients, in the unit that stores its Sent copy. */
import { createHash } from "node:crypto";
import { newId } from "../../ids.ts";
import type { Tx } from "../../store/db.ts";
import { outboundQueue } from "../../store/schema.ts";
import { insertBlob } from "./blobs.ts";

/**
 * Queues one message for its remote recipients, due now: the bytes as a content-addressed blob
 * (shared with a Sent copy without Bcc) and one row per recipient. Returns how many rows it wrote.
 */
export function insertQueueRows(
  tx: Tx,
  m: {
    /** Null for a transactional send (no account), which names only its application. */
    grantId: string | null;
    applicationId: string;
    messageId: string;
    mailFrom: string;
    recipients: string[];
    raw: Uint8Array;
    /** The bytes' SHA-256 when already known (hashing 40 MB inside the write is not free). */
    blobHash?: string;
  },
  now: number,
): number {
  if (m.recipients.length === 0) return 0;
  const blobHash = m.blobHash ?? createHash("sha256").update(m.raw).digest("hex");
  insertBlob(tx, blobHash, m.raw);
  tx.insert(outboundQueue)
    .values(
      m.recipients.map((rcptTo) => ({
        id: newId(),
        grantId: m.grantId,
        applicationId: m.applicationId,
        messageId: m.messageId,
        mailFrom: m.mailFrom,
        rcptTo,
        blobHash,
        status: "queued" as const,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .run();
  return m.recipients.length;
}
