import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, countDistinct, eq } from "drizzle-orm";
import { saveConnectedAccount } from "../../src/connected/account.ts";
import { purgeOutsideWindow } from "../../src/connected/sync/window.ts";
import { messages, providerMessages } from "../../src/store/schema.ts";
import { uniqueEmail } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { quietLog } from "../support/store.ts";
import { fillMaildir } from "./maildir-fill.ts";
import {
  changeProviderPassword,
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

const completed = (grantId: string) => (d: { body: Record<string, any> }) =>
  d.body.type === "grant.imap_sync_completed" && d.body.data.object.grant_id === grantId;

function storedCount(t: TestServer, grantId: string): number {
  return (
    t.server.store.read.select({ n: count() }).from(messages).where(eq(messages.grantId, grantId)).get()?.n ??
    0
  );
}

/** The same, read from the database file of a server that has stopped. */
function storedCountOnDisk(t: TestServer, grantId: string): number {
  const db = new Database(t.server.config.databaseUrl.slice("file:".length), { readonly: true });
  try {
    return (db.query("SELECT count(*) AS n FROM messages WHERE grant_id = ?").get(grantId) as { n: number })
      .n;
  } finally {
    db.close();
  }
}

/** `n` small messages in the user's INBOX, dated within the window. */
function fill(user: string, n: number): void {
  fillMaildir(
    f.dovecot,
    user,
    Array.from({ length: n }, (_, i) => ({
      raw: mail({ subject: `bulk ${i}` }),
      internalDate: new Date(Date.now() - (i % 80) * DAY_MS - 60_000),
    })),
  );
}

describe.skipIf(!dovecotInstalled())("a connected grant's sync under failures", () => {
  test("stopped mid-sync and restarted: every message once, none missing, no message.created", async () => {
    const { grantId, user } = await connectedGrant(f);
    const total = 1500;
    fill(user, total);
    const first = f.t;
    first.server.connectedSync.start(grantId);
    await eventually(() => storedCount(first, grantId) > 0, 20_000, "the first batch");
    await first.server.stop(); // its directory stays for the restart
    const atStop = storedCountOnDisk(first, grantId);
    expect(atStop).toBeLessThan(total);

    const second = await startTestServer({
      AGENTBOX_DATA_DIR: first.dataDir,
      AGENTBOX_PROVIDER_CA_FILE: f.dovecot.caFile,
    });
    f.t = second; // stopped (and its directory removed) by the fixture
    await f.receiver.waitFor(1, completed(grantId), 30_000);
    expect(storedCount(second, grantId)).toBe(total);
    const places = second.server.store.read
      .select({ n: count(), uids: countDistinct(providerMessages.uid) })
      .from(providerMessages)
      .where(and(eq(providerMessages.grantId, grantId), eq(providerMessages.folderPath, "INBOX")))
      .get();
    expect(places).toEqual({ n: total, uids: total });
    const created = f.receiver.deliveries.filter(
      (d) => d.body.type === "message.created" && d.body.data.grant_id === grantId,
    );
    expect(created).toHaveLength(0);
  }, 120_000);

  test("the provider stopped and started again: the sync reconnects and catches up", async () => {
    const { grantId, user } = await connectedGrant(f);
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, completed(grantId), 20_000);
    await f.dovecot.stop();
    await Bun.sleep(1_500);
    await f.dovecot.start();
    await f.dovecot.deliver(user, mail({ subject: "while reconnecting" }));
    const [created] = await f.receiver.waitFor(
      1,
      (d) => d.body.type === "message.created" && d.body.data.grant_id === grantId,
      30_000,
    );
    expect(created?.body.data.object.subject).toBe("while reconnecting");
  }, 60_000);

  test("the provider refuses the password: grant invalid and grant.expired, once", async () => {
    const { grantId, user } = await connectedGrant(f);
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, completed(grantId), 20_000);
    await changeProviderPassword(f.dovecot, user, "changed-by-the-person");
    await expect(f.t.server.connectedSync.syncNow(grantId)).rejects.toThrow();
    await f.t.server.connectedSync.syncNow(grantId).catch(() => {});
    const expired = await f.receiver.waitFor(
      1,
      (d) => d.body.type === "grant.expired" && d.body.data.grant_id === grantId,
    );
    expect(expired[0]?.body.data.object).toMatchObject({
      code: 25009,
      grant_id: grantId,
      provider: "imap",
      email: user,
    });
    const grant = await api(f.t, "GET", `/v3/grants/${grantId}`);
    expect(grant.body.data.grant_status).toBe("invalid");
    await Bun.sleep(500);
    expect(
      f.receiver.deliveries.filter(
        (d) => d.body.type === "grant.expired" && d.body.data.grant_id === grantId,
      ),
    ).toHaveLength(1);
  }, 60_000);

  test("dead providers (more than the passes allowed at once) do not delay another grant's sync", async () => {
    const blackHole = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      for (let i = 0; i < 20; i++) {
        const { grantId, user } = await connectedGrant(f, uniqueEmail(`dead-${i}`), { skipUser: true });
        const endpoint = {
          host: "127.0.0.1",
          port: blackHole.port,
          security: "tls" as const,
          username: user,
          password: "x",
        };
        await saveConnectedAccount(f.t.server.store, {
          grantId,
          email: user,
          imap: endpoint,
          smtp: endpoint,
        });
        f.t.server.connectedSync.start(grantId);
      }
      await Bun.sleep(200); // every dead grant is waiting for its greeting
      const { grantId, user } = await connectedGrant(f);
      await f.dovecot.deliver(user, mail({ subject: "through" }), {
        internalDate: new Date(Date.now() - DAY_MS),
      });
      const t0 = performance.now();
      f.t.server.connectedSync.start(grantId);
      await f.receiver.waitFor(1, completed(grantId), 8_000);
      expect(performance.now() - t0).toBeLessThan(8_000); // the dead ones' greeting timeout is 10 s
      expect((await listMessages(f.t, grantId)).map((m) => m.subject)).toEqual(["through"]);
    } finally {
      blackHole.stop(true);
    }
  }, 60_000);

  test("the rolling window: copies older than 90 days are dropped locally, the provider keeps them, no webhook", async () => {
    const { grantId, user } = await connectedGrant(f);
    await f.dovecot.deliver(user, mail({ subject: "aging" }), {
      internalDate: new Date(Date.now() - 89 * DAY_MS),
    });
    await f.dovecot.deliver(user, mail({ subject: "fresh" }), {
      internalDate: new Date(Date.now() - DAY_MS),
    });
    f.t.server.connectedSync.start(grantId);
    await f.receiver.waitFor(1, completed(grantId), 20_000);
    expect((await listMessages(f.t, grantId)).map((m) => m.subject).sort()).toEqual(["aging", "fresh"]);
    const seen = f.receiver.deliveries.length;
    const { store, mailboxes } = f.t.server;
    const twoDaysOn = {
      grantId,
      store,
      mailboxes,
      log: quietLog,
      now: () => Date.now() + 2 * DAY_MS,
      stopping: () => false,
    };
    expect(await purgeOutsideWindow(twoDaysOn)).toBe(1);
    expect((await listMessages(f.t, grantId)).map((m) => m.subject)).toEqual(["fresh"]);
    const atProvider = await f.dovecot.connectAs(user);
    const status = await atProvider.status("INBOX", { messages: true });
    await atProvider.logout();
    expect(status ? status.messages : null).toBe(2);
    await Bun.sleep(300);
    expect(f.receiver.deliveries.slice(seen).filter((d) => d.body.data.grant_id === grantId)).toEqual([]);
  }, 60_000);
});
