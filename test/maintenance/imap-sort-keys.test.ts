import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import type { Logger } from "../../src/log.ts";
import { orderingRows } from "../../src/mailbox/imap-ordering.ts";
import { addImapSortKeys } from "../../src/maintenance/imap-sort-keys.ts";
import { maintenanceTasks } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore, quietLog } from "../support/store.ts";

let store: Store;
let cleanup: () => Promise<void>;
let mailboxes: Mailboxes;
beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000);
});
afterEach(async () => {
  await mailboxes.shutdown();
  await cleanup();
});

const raw = (subject: string, from: string) =>
  new TextEncoder().encode(`Subject: ${subject}\r\nFrom: ${from}\r\nTo: list: a@b.c;\r\n\r\nbody\r\n`);

const keysOnRows = () =>
  store.read.$client
    .query(
      "SELECT sort_subject AS subject, subject_reply AS reply, sort_from AS sortFrom, display_to AS displayTo FROM messages ORDER BY rowid",
    )
    .all();

/** Rows as they were before migration 0015: no sort keys, and the task the migration leaves. */
async function forgetKeys(): Promise<void> {
  await store.writer.submit((tx) => {
    tx.$client
      .prepare(
        `UPDATE messages SET sort_subject = NULL, subject_reply = NULL, sort_from = NULL, sort_to = NULL,
         sort_cc = NULL, display_from = NULL, display_to = NULL`,
      )
      .run();
    tx.insert(maintenanceTasks).values({ name: "imap_sort_keys", createdAt: 1 }).run();
  });
}

describe("IMAP sort keys on the message rows", () => {
  test("stored at ingest", async () => {
    const { grantId } = await insertGrant(store);
    await mailboxes.ask(grantId, "append", {
      folderId: "inbox",
      raw: raw("Re: [list] Hello (fwd)", "Zoe <zoe@x.y>"),
    });
    expect(keysOnRows()).toEqual([{ subject: "HELLO", reply: 1, sortFrom: "ZOE", displayTo: "LIST" }]);
  });

  test("rows stored before are computed on read meanwhile, then filled in batches that resume", async () => {
    const { grantId } = await insertGrant(store);
    for (const [subject, from] of [
      ["b", "b@x.y"],
      ["Re: a", "a@x.y"],
      ["c", "c@x.y"],
    ] as const)
      await mailboxes.ask(grantId, "append", { folderId: "inbox", raw: raw(subject, from) });
    await forgetKeys();
    expect(keysOnRows()).toEqual(
      Array(3).fill({ subject: null, reply: null, sortFrom: null, displayTo: null }),
    );
    // SORT and THREAD read the same keys from the stored ENVELOPE.
    expect(orderingRows(store, grantId, "inbox").map((r) => [r.subject, r.subjectReply, r.from])).toEqual([
      ["B", false, "B"],
      ["A", true, "A"],
      ["C", false, "C"],
    ]);
    // Stopped after its first batch: the task keeps its progress; the next start finishes.
    const stop = new AbortController();
    // The job logs after each batch it committed: stop it there, after the first.
    const stopAfterBatch = { info: () => stop.abort() } as unknown as Logger;
    await addImapSortKeys(store, stopAfterBatch, stop.signal, 2);
    const after = store.read.$client.query("SELECT progress FROM maintenance_tasks").all() as {
      progress: number;
    }[];
    expect(after).toHaveLength(1);
    expect(keysOnRows().filter((r: any) => r.subject === null)).toHaveLength(1);
    await addImapSortKeys(store, quietLog, undefined, 2);
    expect(keysOnRows()).toEqual([
      { subject: "B", reply: 0, sortFrom: "B", displayTo: "LIST" },
      { subject: "A", reply: 1, sortFrom: "A", displayTo: "LIST" },
      { subject: "C", reply: 0, sortFrom: "C", displayTo: "LIST" },
    ]);
    expect(store.read.$client.query("SELECT * FROM maintenance_tasks").all()).toEqual([]);
  });

  test("without the task (a new database) the job does nothing", async () => {
    await addImapSortKeys(store, quietLog);
    expect(store.read.$client.query("SELECT * FROM maintenance_tasks").all()).toEqual([]);
  });
});
