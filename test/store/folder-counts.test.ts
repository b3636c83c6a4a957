import { afterEach, beforeEach, expect, test } from "bun:test";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
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

const raw = (i: number) =>
  new TextEncoder().encode(`Subject: m${i}\r\nMessage-ID: <m${i}@t>\r\n\r\nbody\r\n`);

function actual(grantId: string) {
  return store.read.all<{ folder_id: string; total: number; unread: number }>(
    `SELECT folder_id, count(*) AS total, sum(seen = 0) AS unread FROM messages WHERE grant_id = '${grantId}' GROUP BY folder_id ORDER BY folder_id`,
  );
}

function kept(grantId: string) {
  return store.read.all<{ folder_id: string; total: number; unread: number }>(
    `SELECT folder_id, total, unread FROM folder_counts WHERE grant_id = '${grantId}' AND total > 0 ORDER BY folder_id`,
  );
}

test("trigger-kept folder counts equal the real counts after any mix of appends, flags, moves and deletes", async () => {
  const { grantId } = await insertGrant(store);
  const custom = await mailboxes.ask(grantId, "createFolder", { name: "Receipts" });
  const folders = ["inbox", "archive", "trash", custom.id];
  const ids: string[] = [];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 300; i++) {
    const op = ids.length === 0 ? 0 : next(5);
    const id = ids[next(Math.max(ids.length, 1))] as string;
    if (op === 0) {
      const m = await mailboxes.ask(grantId, "append", {
        folderId: folders[next(4)]!,
        raw: raw(i),
        flags: { seen: next(2) === 0 },
      });
      ids.push(m.id);
    } else if (op === 1) {
      await mailboxes.ask(grantId, "updateMessage", { messageId: id, flags: { seen: next(2) === 1 } });
    } else if (op === 2) {
      await mailboxes.ask(grantId, "updateMessage", {
        messageId: id,
        folderId: folders[next(4)]!,
        flags: { seen: next(2) === 0 },
      });
    } else {
      const r = await mailboxes.ask(grantId, "deleteMessage", { messageId: id, hard: op === 4 });
      if (r.outcome === "deleted") ids.splice(ids.indexOf(id), 1);
    }
  }
  expect(await kept(grantId)).toEqual(await actual(grantId));
  // Deleting a folder (with its messages) leaves no stale count behind.
  await mailboxes.ask(grantId, "deleteFolder", { folderId: custom.id });
  expect(await kept(grantId)).toEqual(await actual(grantId));
  const stale = await store.read.all(`SELECT * FROM folder_counts WHERE folder_id = '${custom.id}'`);
  expect(stale).toEqual([]);
});
