/**
 * Re-indexes messages stored before search rows carried their grant's token (migration 0012):
 * each one's search document is rebuilt from its raw bytes and written again under the token.
 * Runs once, in the background from the first start with this version (~1,000 messages a second
 * here); until it is done searches are not scoped in the index (src/mailbox/search-scope.ts), so none
 * misses an old message. Stopped between batches by `signal`; each batch commits with the task's
 * progress, so the next start resumes after the last batch done.
 */
import { and, gt, lte, sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import type { SearchDocument } from "../mail/search/index-text.ts";
import { rawMessage } from "../mailbox/messages.ts";
import { deleteSearchRows, insertSearchRow } from "../mailbox/writes/search-index.ts";
import type { Tx } from "../store/db.ts";
import { messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { runMessageBackfill } from "./message-backfill.ts";

const BATCH = 500;

interface Row {
  seq: number;
  grantId: string;
  blobHash: string;
}

/** `prepare`: the mailboxes' own (Mailboxes.prepare), so the re-index uses their worker threads. */
export function addSearchGrantTokens(
  store: Store,
  prepare: (raw: Uint8Array) => Promise<PreparedMessage>,
  log: Logger,
  signal?: AbortSignal,
  batchSize = BATCH,
): Promise<void> {
  return runMessageBackfill<Row, (Row & { search: SearchDocument })[]>(
    store,
    log,
    {
      task: "search_grant_tokens",
      progressMessage: "search index: adding account tokens",
      doneMessage: "search index: account tokens added",
      // Messages stored from now on are indexed with their token already.
      end: (s) =>
        (s.read.$client.prepare("SELECT max(rowid) AS seq FROM messages").get() as { seq: number | null })
          .seq ?? 0,
      read: (s, after, end, limit) =>
        s.read
          .select({
            seq: sql<number>`${messages}.rowid`,
            grantId: messages.grantId,
            blobHash: messages.blobHash,
          })
          .from(messages)
          .where(and(gt(sql`${messages}.rowid`, after), lte(sql`${messages}.rowid`, end)))
          .orderBy(sql`${messages}.rowid`)
          .limit(limit)
          .all(),
      prepare: async (rows) => {
        const documents = await Promise.all(
          rows.map(async (row) => {
            const raw = rawMessage(store, row.blobHash);
            return raw ? { ...row, search: (await prepare(raw)).search } : null;
          }),
        );
        return documents.filter((d): d is NonNullable<typeof d> => d !== null);
      },
      write: (tx, documents) => {
        // A message deleted since it was read keeps no search row: its rowid may be given again.
        const current = documents.filter((d) => stillStored(tx, d));
        deleteSearchRows(
          tx,
          current.map((d) => d.seq),
        );
        for (const d of current) insertSearchRow(tx, d.seq, d.grantId, d.search);
      },
    },
    batchSize,
    signal,
  );
}

function stillStored(tx: Tx, d: Row): boolean {
  return (
    tx.$client
      .prepare("SELECT 1 FROM messages WHERE rowid = ? AND grant_id = ? AND blob_hash = ?")
      .get(d.seq, d.grantId, d.blobHash) !== null
  );
}
