/**
 * Re-indexes messages stored before search rows carried their grant's token (migration 0012):
 * each one's search document is rebuilt from its raw bytes and written again under the token.
 * Runs once, in the background from the first start with this version (~1,000 messages a second
 * here); until it is done searches are not scoped in the index (src/mailbox/search-scope.ts), so none
 * misses an old message. Stopped between batches by `signal`; each batch commits with the task's
 * progress, so the next start resumes after the last batch done.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import { rawMessage } from "../mailbox/messages.ts";
import { deleteSearchRows, insertSearchRow } from "../mailbox/writes/search-index.ts";
import type { Tx } from "../store/db.ts";
import { maintenanceTasks, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

const TASK = "search_grant_tokens";
const BATCH = 500;

/** `prepare`: the mailboxes' own (Mailboxes.prepare), so the re-index uses their worker threads. */
export async function addSearchGrantTokens(
  store: Store,
  prepare: (raw: Uint8Array) => Promise<PreparedMessage>,
  log: Logger,
  signal?: AbortSignal,
  batchSize = BATCH,
): Promise<void> {
  const task = await store.read.query.maintenanceTasks.findFirst({ where: eq(maintenanceTasks.name, TASK) });
  if (!task) return;
  const started = Date.now();
  // Messages stored from now on are indexed with their token already.
  const end = lastMessageSeq(store);
  let done = 0;
  for (let after = task.progress; ; ) {
    if (signal?.aborted) return;
    const rows = await store.read
      .select({
        seq: sql<number>`${messages}.rowid`,
        grantId: messages.grantId,
        blobHash: messages.blobHash,
      })
      .from(messages)
      .where(and(gt(sql`${messages}.rowid`, after), lte(sql`${messages}.rowid`, end)))
      .orderBy(sql`${messages}.rowid`)
      .limit(batchSize);
    const last = rows.at(-1);
    if (!last) break;
    const documents = await Promise.all(
      rows.map(async (row) => {
        const raw = rawMessage(store, row.blobHash);
        return raw ? { ...row, search: (await prepare(raw)).search } : null;
      }),
    );
    await store.writer.submit((tx) => {
      // A message deleted since it was read keeps no search row: its rowid may be given again.
      const current = documents.filter((d): d is NonNullable<typeof d> => d !== null && stillStored(tx, d));
      deleteSearchRows(
        tx,
        current.map((d) => d.seq),
      );
      for (const d of current) insertSearchRow(tx, d.seq, d.grantId, d.search);
      tx.update(maintenanceTasks).set({ progress: last.seq }).where(eq(maintenanceTasks.name, TASK)).run();
    });
    done += rows.length;
    after = last.seq;
    log.info({ messages: done }, "search index: adding account tokens");
  }
  await store.writer.submit((tx) => tx.delete(maintenanceTasks).where(eq(maintenanceTasks.name, TASK)));
  log.info({ messages: done, ms: Date.now() - started }, "search index: account tokens added");
}

function lastMessageSeq(store: Store): number {
  const row = store.read.$client.prepare("SELECT max(rowid) AS seq FROM messages").get() as {
    seq: number | null;
  };
  return row.seq ?? 0;
}

function stillStored(tx: Tx, d: { seq: number; grantId: string; blobHash: string }): boolean {
  return (
    tx.$client
      .prepare("SELECT 1 FROM messages WHERE rowid = ? AND grant_id = ? AND blob_hash = ?")
      .get(d.seq, d.grantId, d.blobHash) !== null
  );
}
