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
import { maintenanceTasks, messageMime, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const TASK = "imap_sort_keys";
const BATCH = 1000;

export async function addImapSortKeys(
  store: Store,
  log: Logger,
  signal?: AbortSignal,
  batchSize = BATCH,
): Promise<void> {
  const task = await store.read.query.maintenanceTasks.findFirst({ where: eq(maintenanceTasks.name, TASK) });
  if (!task) return;
  const started = Date.now();
  // Messages stored from now on get their keys at ingest.
  const end = lastMessageSeq(store);
  let done = 0;
  for (let after = task.progress; ; ) {
    if (signal?.aborted) return;
    const rows = store.read
      .select({
        seq: sql<number>`${messages}.rowid`,
        id: messages.id,
        envelopeJson: messageMime.envelopeJson,
      })
      .from(messages)
      .leftJoin(messageMime, eq(messageMime.messageId, messages.id))
      .where(and(gt(sql`${messages}.rowid`, after), lte(sql`${messages}.rowid`, end)))
      .orderBy(sql`${messages}.rowid`)
      .limit(batchSize)
      .all();
    const last = rows.at(-1);
    if (!last) break;
    const keys = rows.flatMap((row) =>
      row.envelopeJson === null
        ? []
        : [{ id: row.id, keys: sortKeys(JSON.parse(row.envelopeJson) as ImapEnvelope) }],
    );
    await store.writer.submit((tx) => {
      for (const k of keys) setSortKeys(tx, k.id, k.keys);
      tx.update(maintenanceTasks).set({ progress: last.seq }).where(eq(maintenanceTasks.name, TASK)).run();
    });
    done += rows.length;
    after = last.seq;
    log.info({ messages: done }, "imap sort keys: filling");
  }
  await store.writer.submit((tx) => tx.delete(maintenanceTasks).where(eq(maintenanceTasks.name, TASK)));
  log.info({ messages: done, ms: Date.now() - started }, "imap sort keys: filled");
}

function lastMessageSeq(store: Store): number {
  const row = store.read
    .select({ seq: sql<number | null>`max(${messages}.rowid)` })
    .from(messages)
    .where(isNull(messages.sortSubject))
    .get();
  return row?.seq ?? 0;
}
