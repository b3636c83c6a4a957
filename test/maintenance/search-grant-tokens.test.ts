import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import { toFtsMatch, withinGrant } from "../../src/mail/search/fts.ts";
import { searchDocument } from "../../src/mail/search/index-text.ts";
import { parseSearch } from "../../src/mail/search/parse.ts";
import { listMessages } from "../../src/mailbox/messages.ts";
import { addSearchGrantTokens } from "../../src/maintenance/search-grant-tokens.ts";
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

const prepare = (bytes: Uint8Array) => mailboxes.prepare(bytes);

const raw = (subject: string, body: string) =>
  new TextEncoder().encode(`Subject: ${subject}\r\nFrom: a@example.com\r\n\r\n${body}\r\n`);

const search = async (grantId: string, query: string) =>
  (await listMessages(store, grantId, { ftsMatch: toFtsMatch(parseSearch(query)) }, 50, null)).items.map(
    (v) => v.row.subject,
  );

/** Rows indexed the way they were before migration 0012: no grant token. */
async function indexWithoutTokens(): Promise<void> {
  const rows = store.read.$client.query("SELECT rowid AS seq, subject FROM messages").all() as {
    seq: number;
    subject: string;
  }[];
  await store.writer.submit((tx) => {
    for (const r of rows) {
      const doc = searchDocument({
        subject: r.subject,
        from: [{ email: "a@example.com" }],
        to: [],
        cc: [],
        bcc: [],
        replyTo: [],
        bodyText: "quarterly invoice",
        attachmentFilenames: [],
      });
      tx.$client.prepare("DELETE FROM messages_fts WHERE rowid = ?").run(r.seq);
      tx.$client
        .prepare("INSERT INTO messages_fts (rowid, subject, body) VALUES (?, ?, ?)")
        .run(r.seq, doc.subject, doc.body);
    }
    tx.insert(maintenanceTasks).values({ name: "search_grant_tokens", createdAt: 1 }).run();
  });
}

describe("search rows carry their grant's token", () => {
  test("the index itself keeps each grant's matches apart", async () => {
    const a = await insertGrant(store);
    const b = await insertGrant(store);
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw("A1", "quarterly invoice") });
    await mailboxes.ask(b.grantId, "append", { folderId: "inbox", raw: raw("B1", "quarterly invoice") });
    await mailboxes.ask(b.grantId, "append", { folderId: "inbox", raw: raw("B2", "quarterly invoice") });
    const count = (grantId: string) =>
      store.read.$client
        .query("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?")
        .get(withinGrant(grantId, toFtsMatch(parseSearch("invoice")))) as { n: number };
    expect(count(a.grantId).n).toBe(1);
    expect(count(b.grantId).n).toBe(2);
    expect(await search(b.grantId, "invoice -B1")).toEqual(["B2"]);
  });

  test("rows indexed before the token are found meanwhile, and carry it once re-indexed", async () => {
    const a = await insertGrant(store);
    for (let i = 0; i < 3; i++) {
      await mailboxes.ask(a.grantId, "append", {
        folderId: "inbox",
        raw: raw(`old ${i}`, "quarterly invoice"),
      });
    }
    await indexWithoutTokens();
    const scopedCount = () =>
      (
        store.read.$client
          .query("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?")
          .get(withinGrant(a.grantId, toFtsMatch(parseSearch("invoice")))) as { n: number }
      ).n;
    expect(scopedCount()).toBe(0);
    // While the task is pending, searches are not scoped in the index: nothing is missed.
    expect((await search(a.grantId, "invoice")).sort()).toEqual(["old 0", "old 1", "old 2"]);
    await addSearchGrantTokens(store, prepare, quietLog);
    expect(scopedCount()).toBe(3);
    expect((await search(a.grantId, "invoice")).sort()).toEqual(["old 0", "old 1", "old 2"]);
    expect(await store.read.select().from(maintenanceTasks)).toEqual([]);
    // Without the task nothing runs again, and every message has one search row.
    await addSearchGrantTokens(store, prepare, quietLog);
    expect(
      (store.read.$client.query("SELECT count(*) AS n FROM messages_fts").get() as { n: number }).n,
    ).toBe(3);
  });

  test("stopped by its signal between batches, it leaves the task for the next start", async () => {
    const a = await insertGrant(store);
    await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw("old", "quarterly invoice") });
    await indexWithoutTokens();
    const stop = new AbortController();
    stop.abort();
    await addSearchGrantTokens(store, prepare, quietLog, stop.signal);
    expect((await store.read.select().from(maintenanceTasks)).map((t) => t.name)).toEqual([
      "search_grant_tokens",
    ]);
  });

  test("stopped after a batch, the next start resumes after it instead of starting over", async () => {
    const a = await insertGrant(store);
    for (let i = 0; i < 5; i++) {
      await mailboxes.ask(a.grantId, "append", {
        folderId: "inbox",
        raw: raw(`old ${i}`, "quarterly invoice"),
      });
    }
    await indexWithoutTokens();
    const stop = new AbortController();
    let prepared = 0;
    const counting = (bytes: Uint8Array) => {
      if (++prepared === 2) stop.abort(); // the first batch of two finishes, then it stops
      return prepare(bytes);
    };
    await addSearchGrantTokens(store, counting, quietLog, stop.signal, 2);
    expect(prepared).toBe(2);
    const [task] = await store.read.select().from(maintenanceTasks);
    const seqs = store.read.$client.query("SELECT rowid AS seq FROM messages ORDER BY rowid").all() as {
      seq: number;
    }[];
    expect(task?.progress).toBe(seqs[1]?.seq);

    prepared = 0;
    await addSearchGrantTokens(store, counting, quietLog, undefined, 2);
    expect(prepared).toBe(3); // only the three not yet done
    expect(await store.read.select().from(maintenanceTasks)).toEqual([]);
    expect((await search(a.grantId, "invoice")).length).toBe(5);
  });

  test("a message deleted while it is prepared gets no search row; one stored meanwhile is not redone", async () => {
    const a = await insertGrant(store);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await mailboxes.ask(a.grantId, "append", {
        folderId: "inbox",
        raw: raw(`old ${i}`, "quarterly invoice"),
      });
      ids.push(m.id);
    }
    await indexWithoutTokens();
    let prepared = 0;
    const meanwhile = async (bytes: Uint8Array) => {
      if (++prepared === 1) {
        await mailboxes.ask(a.grantId, "deleteMessage", { messageId: ids[0] as string, hard: true });
        await mailboxes.ask(a.grantId, "append", { folderId: "inbox", raw: raw("new", "quarterly invoice") });
      }
      return prepare(bytes);
    };
    await addSearchGrantTokens(store, meanwhile, quietLog);
    expect(prepared).toBe(3); // the three old ones; the new one was indexed with its token
    const ftsRows = (
      store.read.$client.query("SELECT count(*) AS n FROM messages_fts").get() as { n: number }
    ).n;
    expect(ftsRows).toBe(3); // two old ones left and the new one: none for the deleted message
    expect((await search(a.grantId, "invoice")).sort()).toEqual(["new", "old 1", "old 2"]);
  });

  test("a new database has no re-indexing to do", async () => {
    expect(await store.read.select().from(maintenanceTasks)).toEqual([]);
  });
});
