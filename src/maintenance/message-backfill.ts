/**
 * The shape every one-off job over stored messages shares: a `maintenance_tasks` row says it is
 * still to do and how far it got; messages are read in rowid order up to the newest one the job
 * must reach (later ones are handled at ingest), prepared off the writer, and written in one unit
 * per batch together with the task's progress, so a stop between batches resumes after the last.
 * The row goes when the job is done.
 */
import { eq } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { Tx } from "../store/db.ts";
import { maintenanceTasks } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export interface MessageBackfill<Row extends { seq: number }, Batch> {
  /** The `maintenance_tasks` row's name. */
  task: string;
  /** Log messages: while it runs, and once it is done. */
  progressMessage: string;
  doneMessage: string;
  /** The rowid of the newest message the job must reach. */
  end(store: Store): number;
  /** Up to `limit` messages with `after < rowid <= end`, in rowid order. */
  read(store: Store, after: number, end: number, limit: number): Row[] | Promise<Row[]>;
  /** The batch's work that needs no writer (parsing, on worker threads). */
  prepare(rows: Row[]): Batch | Promise<Batch>;
  /** The batch's writes, in the unit that also saves the progress. */
  write(tx: Tx, batch: Batch): void;
}

export async function runMessageBackfill<Row extends { seq: number }, Batch>(
  store: Store,
  log: Logger,
  job: MessageBackfill<Row, Batch>,
  batchSize: number,
  signal?: AbortSignal,
): Promise<void> {
  const task = await store.read.query.maintenanceTasks.findFirst({
    where: eq(maintenanceTasks.name, job.task),
  });
  if (!task) return;
  const started = Date.now();
  const end = job.end(store);
  let done = 0;
  for (let after = task.progress; ; ) {
    if (signal?.aborted) return;
    const rows = await job.read(store, after, end, batchSize);
    const last = rows.at(-1);
    if (!last) break;
    const batch = await job.prepare(rows);
    await store.writer.submit((tx) => {
      job.write(tx, batch);
      tx.update(maintenanceTasks)
        .set({ progress: last.seq })
        .where(eq(maintenanceTasks.name, job.task))
        .run();
    });
    done += rows.length;
    after = last.seq;
    log.info({ messages: done }, job.progressMessage);
  }
  await store.writer.submit((tx) => tx.delete(maintenanceTasks).where(eq(maintenanceTasks.name, job.task)));
  log.info({ messages: done, ms: Date.now() - started }, job.doneMessage);
}
