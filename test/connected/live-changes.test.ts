import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { folderSyncState, providerLocationOf } from "../../src/connected/provider-index.ts";
import type { Delivery } from "../webhooks/receiver.ts";
import {
  connectedGrant,
  DAY_MS,
  dovecotInstalled,
  eventually,
  listMessages,
  mail,
  type SyncFixture,
  syncFixture,
} from "./sync-harness.ts";

let f: SyncFixture;
let grantId: string;
let user: string;

const ofGrant = (type: string) => (d: Delivery) => d.body.type === type && d.body.data.grant_id === grantId;

beforeAll(async () => {
  if (!dovecotInstalled()) return;
  f = await syncFixture();
  ({ grantId, user } = await connectedGrant(f));
  await f.dovecot.deliver(user, mail({ subject: "first" }), { internalDate: new Date(Date.now() - DAY_MS) });
  f.t.server.connectedSync.start(grantId);
  await f.receiver.waitFor(1, (d) => d.body.type === "grant.imap_sync_completed", 20_000);
  await Bun.sleep(200); // the IDLE connections are up
}, 60_000);
afterAll(async () => {
  await f?.stop();
}, 60_000);

async function withProvider<T>(
  folder: string,
  run: (c: Awaited<ReturnType<SyncFixture["dovecot"]["connectAs"]>>) => Promise<T>,
) {
  const client = await f.dovecot.connectAs(user);
  try {
    await client.mailboxOpen(folder);
    return await run(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

describe.skipIf(!dovecotInstalled())("changes at the provider, reflected through IDLE and polling", () => {
  test("new mail: message.created within seconds", async () => {
    const before = performance.now();
    const uid = await f.dovecot.deliver(user, mail({ subject: "arrived" }));
    const [created] = await f.receiver.waitFor(1, ofGrant("message.created"), 10_000);
    expect((created?.at ?? Number.POSITIVE_INFINITY) - before).toBeLessThan(5_000);
    expect(created?.body.data.object.subject).toBe("arrived");
    expect(providerLocationOf(f.t.server.store, grantId, created?.body.data.object.id)?.uid).toBe(uid);
  }, 20_000);

  test("a flag set at the provider: message.updated", async () => {
    const [created] = f.receiver.deliveries.filter(ofGrant("message.created"));
    const id = created?.body.data.object.id as string;
    const uid = providerLocationOf(f.t.server.store, grantId, id)?.uid as number;
    await withProvider("INBOX", (c) =>
      c.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true }),
    );
    const [updated] = await f.receiver.waitFor(1, ofGrant("message.updated"), 10_000);
    expect(updated?.body.data.object).toMatchObject({ id, unread: false, starred: true });
  }, 20_000);

  test("an expunge at the provider: message.deleted", async () => {
    const [first] = (await listMessages(f.t, grantId)).filter((m) => m.subject === "first");
    const uid = providerLocationOf(f.t.server.store, grantId, first?.id)?.uid as number;
    await withProvider("INBOX", (c) => c.messageDelete(String(uid), { uid: true }));
    const [deleted] = await f.receiver.waitFor(1, ofGrant("message.deleted"), 10_000);
    expect(deleted?.body.data.object.id).toBe(first?.id);
    expect((await listMessages(f.t, grantId)).map((m) => m.subject)).toEqual(["arrived"]);
  }, 20_000);

  test("a move at the provider: gone from Inbox (message.deleted), in Archive (message.created)", async () => {
    const [arrived] = await listMessages(f.t, grantId);
    const uid = providerLocationOf(f.t.server.store, grantId, arrived?.id)?.uid as number;
    await withProvider("INBOX", (c) => c.messageMove(String(uid), "Archive", { uid: true }));
    await f.receiver.waitFor(2, ofGrant("message.deleted"), 10_000);
    // Archive is polled (no IDLE there): ask for the pass the timer would make.
    await f.t.server.connectedSync.syncNow(grantId, "Archive");
    const moved = (await eventually(
      async () =>
        (await listMessages(f.t, grantId)).find((m) => m.subject === "arrived" && m.folders[0] === "archive"),
      5_000,
      "the message in Archive",
    )) as Record<string, any>;
    const created = await f.receiver.waitFor(2, ofGrant("message.created"), 5_000);
    expect(created.map((d) => d.body.data.object.id)).toContain(moved.id);
    expect(providerLocationOf(f.t.server.store, grantId, moved.id)?.folderPath).toBe("Archive");
  }, 20_000);

  test("a folder recreated at the provider (new UIDVALIDITY) is re-indexed: same messages, no webhooks", async () => {
    const raws = [
      mail({ subject: "kept one" }),
      mail({ subject: "kept two" }),
      mail({ subject: "kept three" }),
    ];
    const dates = raws.map((_, i) => new Date(Date.now() - (i + 1) * DAY_MS));
    for (const [i, raw] of raws.entries())
      await f.dovecot.deliver(user, raw, { folder: "Projects", internalDate: dates[i] });
    await f.t.server.connectedSync.syncNow(grantId);
    const before = (await listMessages(f.t, grantId)).filter((m) => m.subject.startsWith("kept"));
    expect(before).toHaveLength(3);
    const oldValidity = folderSyncState(f.t.server.store, grantId, "Projects")?.uidValidity;
    const seen = f.receiver.deliveries.length;

    const admin = await f.dovecot.connectAs(user);
    await admin.mailboxDelete("Projects");
    await admin.mailboxCreate("Projects");
    await admin.logout();
    for (const [i, raw] of raws.entries())
      await f.dovecot.deliver(user, raw, { folder: "Projects", internalDate: dates[i] });
    await f.t.server.connectedSync.syncNow(grantId, "Projects");

    const state = folderSyncState(f.t.server.store, grantId, "Projects");
    expect(state?.uidValidity).not.toBe(oldValidity);
    const after = (await listMessages(f.t, grantId)).filter((m) => m.subject.startsWith("kept"));
    expect(after.map((m) => m.id).sort()).toEqual(before.map((m) => m.id).sort());
    for (const m of after) {
      expect(providerLocationOf(f.t.server.store, grantId, m.id)?.uidValidity).toBe(
        state?.uidValidity as number,
      );
    }
    await Bun.sleep(300);
    const spurious = f.receiver.deliveries.slice(seen).filter((d) => d.body.data.grant_id === grantId);
    expect(spurious.map((d) => d.body.type)).toEqual([]);
  }, 30_000);

  test("a folder deleted at the provider: its copies deleted (message.deleted), its state forgotten", async () => {
    const kept = (await listMessages(f.t, grantId)).filter((m) => m.subject.startsWith("kept"));
    expect(kept).toHaveLength(3);
    const seen = f.receiver.deliveries.length;
    const admin = await f.dovecot.connectAs(user);
    await admin.mailboxDelete("Projects");
    await admin.logout();
    await f.t.server.connectedSync.syncNow(grantId);
    expect(folderSyncState(f.t.server.store, grantId, "Projects")).toBeUndefined();
    expect((await listMessages(f.t, grantId)).filter((m) => m.subject.startsWith("kept"))).toEqual([]);
    const deleted = await f.receiver.waitFor(
      3,
      (d) => ofGrant("message.deleted")(d) && f.receiver.deliveries.indexOf(d) >= seen,
    );
    expect(deleted.map((d) => d.body.data.object.id).sort()).toEqual(kept.map((m) => m.id).sort());
  }, 30_000);

  test("a folder not seen before is mapped when a pass names it", async () => {
    await f.dovecot.deliver(user, mail({ subject: "in a new folder" }), { folder: "Later/Soon" });
    await f.t.server.connectedSync.syncNow(grantId, "Later/Soon");
    const [found] = (await listMessages(f.t, grantId)).filter((m) => m.subject === "in a new folder");
    const state = folderSyncState(f.t.server.store, grantId, "Later/Soon");
    expect(found?.folders).toEqual([state?.folderId]);
  }, 30_000);
});
