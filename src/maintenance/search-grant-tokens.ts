/**
 * Re-indexes messages stored before search rows carried their grant's token (migration 0012):
 * each one's search document is rebuilt from its raw bytes and written again under the token.
 * Runs once, in the background from the first start with this version (~1,000 messages a second
 * here); until it is done searches are not scoped in the index (src/mailbox/search-scope.ts), so none
 * misses an old message. Stopped between batches by `signal`; each batch commits with the task's
 * progress, so the next start resumes after the last batch done.
 */
import { eq, gt, sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import { rawMessage } from "../mailbox/messages.ts";
import { deleteSearchRows, insertSearchRow } from "../store/ingest-sql.ts";
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
      .where(gt(sql`${messages}.rowid`, after))
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
      for (const d of documents) {
        if (!d) continue;
        deleteSearchRows(tx, [d.seq]);
        insertSearchRow(tx, d.seq, d.grantId, d.search);
      }
      tx.update(maintenanceTasks).set({ progress: last.seq }).where(eq(maintenanceTasks.name, TASK)).run();
    });
    done += rows.length;
    after = last.seq;
    log.info({ messages: done }, "search index: adding account tokens");
  }
  await store.writer.submit((tx) => tx.delete(maintenanceTasks).where(eq(maintenanceTasks.name, TASK)));
  log.info({ messages: done, ms: Date.now() - started }, "search index: account tokens added");
}
