/**
 * Fills the IMAP SORT/THREAD keys (src/mail/sort-keys.ts) of messages stored before migration
 * 0015 added them, from each message's stored ENVELOPE: no raw message is read. Runs once, in the
 * background from the first start with this version; until it is done SORT and THREAD compute
 * the missing keys as they read (src/mailbox/imap-ordering.ts). Stopped between batches by
 * `signal`; each batch commits with the task's progress, so the next start resumes there.
 */
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { ImapEnvelope } from "../mail/envelope.ts";
import { sortKeys } from "../mail/sort-keys.ts";
import { setSortKeys } from "../mailbox/writes/messages.ts";
import { messageMime, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type MessageBackfill, runMessageBackfill } from "./message-backfill.ts";

const BATCH = 1000;

interface Row {
  seq: number;
  id: string;
  envelopeJson: string | null;
}

const job: MessageBackfill<Row, { id: string; keys: ReturnType<typeof sortKeys> }[]> = {
  task: "imap_sort_keys",
  progressMessage: "imap sort keys: filling",
  doneMessage: "imap sort keys: filled",
  // Messages stored from now on get their keys at ingest.
  end: (store) =>
    store.read
      .select({ seq: sql<number | null>`max(${messages}.rowid)` })
      .from(messages)
      .where(isNull(messages.sortSubject))
      .get()?.seq ?? 0,
  read: (store, after, end, limit) =>
    store.read
      .select({
        seq: sql<number>`${messages}.rowid`,
        id: messages.id,
        envelopeJson: messageMime.envelopeJson,
      })
      .from(messages)
      .leftJoin(messageMime, eq(messageMime.messageId, messages.id))
      .where(and(gt(sql`${messages}.rowid`, after), lte(sql`${messages}.rowid`, end)))
      .orderBy(sql`${messages}.rowid`)
      .limit(limit)
      .all(),
  prepare: (rows) =>
    rows.flatMap((row) =>
      row.envelopeJson === null
        ? []
        : [{ id: row.id, keys: sortKeys(JSON.parse(row.envelopeJson) as ImapEnvelope) }],
    ),
  write: (tx, keys) => {
    for (const k of keys) setSortKeys(tx, k.id, k.keys);
  },
};

export function addImapSortKeys(
  store: Store,
  log: Logger,
  signal?: AbortSignal,
  batchSize = BATCH,
): Promise<void> {
  return runMessageBackfill(store, log, job, batchSize, signal);
}
