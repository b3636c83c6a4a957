import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { folderSyncStates, providerLocationOf } from "../../src/connected/provider-index.ts";
import { api } from "../support/server.ts";
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

beforeAll(async () => {
  if (dovecotInstalled()) f = await syncFixture();
}, 60_000);
afterAll(async () => {
  await f?.stop();
}, 60_000);

describe.skipIf(!dovecotInstalled())("a connected grant's initial sync", () => {
  test("the last 90 days of every folder, newest first, without webhooks, then grant.imap_sync_completed", async () => {
    const { grantId, user } = await connectedGrant(f);
    const now = Date.now();
    const latin1 = Buffer.concat([
      Buffer.from(
        "From: a@example.com\r\nTo: b@example.org\r\nSubject: caf\xe9\r\nMessage-ID: <latin1@provider.test>\r\n" +
          "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n",
        "latin1",
      ),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]),
    ]);
    await f.dovecot.deliver(user, mail({ subject: "recent one" }), {
      internalDate: new Date(now - 2 * DAY_MS),
    });
    await f.dovecot.deliver(user, mail({ subject: "no message id", messageId: null }), {
      internalDate: new Date(now - DAY_MS),
    });
    await f.dovecot.deliver(user, mail({ subject: "flagged one" }), {
      internalDate: new Date(now - DAY_MS),
      flags: ["\\Seen", "\\Flagged"],
    });
    await f.dovecot.deliver(user, latin1, { internalDate: new Date(now - 3 * DAY_MS) });
    await f.dovecot.deliver(user, mail({ subject: "too old" }), {
      internalDate: new Date(now - 120 * DAY_MS),
    });
    await f.dovecot.deliver(user, mail({ subject: "sent one" }), {
      folder: "Sent",
      internalDate: new Date(now - DAY_MS),
    });
    await f.dovecot.deliver(user, mail({ subject: "project one" }), {
      folder: "Projects/Alpha",
      internalDate: new Date(now - 5 * DAY_MS),
    });

    f.t.server.connectedSync.start(grantId);
    const [done] = await f.receiver.waitFor(
      1,
      (d) => d.body.type === "grant.imap_sync_completed" && d.body.data.object.grant_id === grantId,
      20_000,
    );
    expect(done?.body.source).toBe("/imap/emails/historic");
    expect(done?.body.data.object).toMatchObject({ provider: "imap", type: "grant.imap_sync_completed" });

    const messages = await listMessages(f.t, grantId);
    const subjects = messages.map((m) => m.subject).sort();
    // Without a Message-ID a message is ignored, as the seed says; another charset is decoded.
    expect(subjects).toEqual(["café", "flagged one", "project one", "recent one", "sent one"]);
    const byId = new Map(messages.map((m) => [m.subject, m]));
    expect(byId.get("sent one")?.folders).toEqual(["sent"]);
    expect(byId.get("recent one")?.folders).toEqual(["inbox"]);
    expect(byId.get("café")?.body).toContain("café");
    expect(byId.get("flagged one")).toMatchObject({ unread: false, starred: true });
    const folders = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data as {
      id: string;
      name: string;
    }[];
    const alpha = folders.find((x) => x.name === "Projects/Alpha");
    expect(alpha).toBeDefined();
    expect(byId.get("project one")?.folders).toEqual([alpha?.id]);

    // Historical mail sends no message.created.
    await Bun.sleep(300);
    expect(
      f.receiver.deliveries
        .filter((d) => d.body.data.grant_id === grantId || d.body.data.object?.grant_id === grantId)
        .map((d) => d.body.type),
    ).toEqual(["grant.imap_sync_completed"]);

    const recent = byId.get("recent one");
    expect(providerLocationOf(f.t.server.store, grantId, recent?.id)).toMatchObject({
      folderPath: "INBOX",
      uid: 1,
    });
    const states = folderSyncStates(f.t.server.store, grantId);
    expect(states.every((s) => s.initialDone)).toBe(true);
  }, 30_000);

  test("a message arriving at the provider is message.created within seconds (IDLE)", async () => {
    const { grantId, user } = await connectedGrant(f);
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(
      1,
      (d) => d.body.type === "grant.imap_sync_completed" && d.body.data.object.grant_id === grantId,
      20_000,
    );
    await Bun.sleep(200); // IDLE is up
    const sent = performance.now();
    await f.dovecot.deliver(user, mail({ subject: "live one" }));
    const [created] = await f.receiver.waitFor(
      1,
      (d) => d.body.type === "message.created" && d.body.data.grant_id === grantId,
      10_000,
    );
    expect((created?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThan(5_000);
    expect(created?.body.data.object.subject).toBe("live one");
    await eventually(
      async () => (await listMessages(f.t, grantId)).length === 1,
      5_000,
      "the message listed",
    );
  }, 40_000);
});
