import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { providerLocationOf, saveFolderSyncState } from "../../src/connected/provider-index.ts";
import { providerMessages } from "../../src/store/schema.ts";
import { createApplication } from "../api/helpers.ts";
import {
  connectImap,
  dovecotInstalled,
  type PrivateDovecot,
  startPrivateDovecot,
} from "../support/dovecot.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;
const USER = "cy@provider.test";

/**
 * The grant's sync is stopped once it is connected: the test stands in for it, mapping the
 * provider's folders and indexing each message itself, then checks that each API change reaches
 * the provider first (a running sync would import the same provider messages on its own).
 */
maybe("write-through of API changes on a connected account", () => {
  let provider: PrivateDovecot;
  let t: TestServer;
  let grantId: string;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, "pw");
    t = await startTestServer({
      AGENTBOX_PROVIDER_CA_FILE: provider.caFile,
      AGENTBOX_PROVIDER_CONNECT_TIMEOUT_MS: "2000",
    });
    const res = await connectImap(t, provider, USER, "pw");
    grantId = res.body.data.id;
    await t.server.connectedSync.stop(grantId);
    const client = await provider.connectAs(USER);
    for (const [path, folderId] of [
      ["INBOX", "inbox"],
      ["Trash", "trash"],
      ["Archive", "archive"],
    ] as const) {
      const status = await client.status(path, { uidValidity: true });
      await saveFolderSyncState(t.server.store, {
        grantId,
        folderPath: path,
        folderId,
        uidValidity: Number(status ? status.uidValidity : 0),
        uidNext: null,
        highestModseq: null,
        initialLowUid: null,
        initialDone: true,
      });
    }
    await client.logout();
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
    await provider?.destroy();
  }, 20_000);

  /** A message at the provider's INBOX, stored locally and indexed as the sync would. */
  async function indexedMessage(subject: string): Promise<{ id: string; uid: number }> {
    const raw = `From: x@elsewhere.test\r\nTo: ${USER}\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@elsewhere.test>\r\n\r\nhello\r\n`;
    const uid = await provider.deliver(USER, raw);
    if (!uid) throw new Error("no UID");
    const client = await provider.connectAs(USER);
    const status = await client.status("INBOX", { uidValidity: true });
    await client.logout();
    const stored = await t.server.mailboxes.ask(grantId, "append", {
      folderId: "inbox",
      raw: Buffer.from(raw),
    });
    await t.server.store.writer.submit((tx) =>
      tx
        .insert(providerMessages)
        .values({
          grantId,
          folderPath: "INBOX",
          uidValidity: Number(status ? status.uidValidity : 0),
          uid,
          messageId: stored.id,
        })
        .run(),
    );
    return { id: stored.id, uid };
  }

  async function providerMessage(folder: string, subject: string) {
    const client = await provider.connectAs(USER);
    try {
      await client.mailboxOpen(folder);
      const uids = await client.search({ subject }, { uid: true });
      if (!uids || uids.length === 0) return undefined;
      const m = await client.fetchOne(String(uids[0]), { flags: true, uid: true }, { uid: true });
      return m ? { uid: m.uid, flags: [...(m.flags ?? [])] } : undefined;
    } finally {
      await client.logout();
    }
  }

  test("flags set through the API are at the provider", async () => {
    const m = await indexedMessage("flags-1");
    const res = await api(t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, {
      unread: false,
      starred: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.unread).toBe(false);
    expect(res.body.data.starred).toBe(true);
    const at = await providerMessage("INBOX", "flags-1");
    expect(at?.flags).toContain("\\Seen");
    expect(at?.flags).toContain("\\Flagged");
    await api(t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { starred: false });
    expect((await providerMessage("INBOX", "flags-1"))?.flags).not.toContain("\\Flagged");
  });

  test("a move goes to the provider's folder and the index follows the message", async () => {
    const m = await indexedMessage("move-1");
    const res = await api(t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { folders: ["archive"] });
    expect(res.status).toBe(200);
    expect(res.body.data.folders).toEqual(["archive"]);
    expect(await providerMessage("INBOX", "move-1")).toBeUndefined();
    const moved = await providerMessage("Archive", "move-1");
    expect(moved).toBeDefined();
    expect(providerLocationOf(t.server.store, grantId, m.id)).toMatchObject({
      folderPath: "Archive",
      uid: moved?.uid,
    });
  });

  test("a delete moves to the provider's Trash; a delete there removes it at the provider", async () => {
    const m = await indexedMessage("delete-1");
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/messages/${m.id}`)).status).toBe(200);
    expect(await providerMessage("INBOX", "delete-1")).toBeUndefined();
    expect(await providerMessage("Trash", "delete-1")).toBeDefined();
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}`)).body.data.folders).toEqual([
      "trash",
    ]);
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/messages/${m.id}`)).status).toBe(200);
    expect(await providerMessage("Trash", "delete-1")).toBeUndefined();
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}`)).status).toBe(404);
  });

  test("folders created, renamed and deleted through the API are at the provider", async () => {
    const paths = async () => {
      const client = await provider.connectAs(USER);
      const list = (await client.list()).map((b) => b.path);
      await client.logout();
      return list;
    };
    const created = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Projects" });
    expect(created.status).toBe(200);
    expect(await paths()).toContain("Projects");
    const id = created.body.data.id;
    const renamed = await api(t, "PUT", `/v3/grants/${grantId}/folders/${id}`, { name: "Clients" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.name).toBe("Clients");
    expect(await paths()).toContain("Clients");
    expect(await paths()).not.toContain("Projects");
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/folders/${id}`)).status).toBe(200);
    expect(await paths()).not.toContain("Clients");
  });

  test("a provider that is down is a 502 and nothing changes locally", async () => {
    const m = await indexedMessage("down-1");
    await provider.stop();
    try {
      const res = await api(t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, {
        unread: false,
        folders: ["archive"],
      });
      expect(res.status).toBe(502);
      expect(res.body.error.type).toBe("provider_error");
      const local = (await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}`)).body.data;
      expect(local.unread).toBe(true);
      expect(local.folders).toEqual(["inbox"]);
      // Metadata is agentbox's own: no provider needed.
      const meta = await api(t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { metadata: { k: "v" } });
      expect(meta.status).toBe(200);
      const folder = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Never" });
      expect(folder.status).toBe(502);
      const names = (await api(t, "GET", `/v3/grants/${grantId}/folders`)).body.data.map(
        (f: { name: string }) => f.name,
      );
      expect(names).not.toContain("Never");
    } finally {
      await provider.start();
    }
  }, 20_000);

  test("search_query_native is an IMAP SEARCH at the provider, mapped back to local messages", async () => {
    const wanted = await indexedMessage("needle-search-1");
    await indexedMessage("haystack-1");
    const q = encodeURIComponent('SUBJECT "needle-search-1"');
    const res = await api(t, "GET", `/v3/grants/${grantId}/messages?search_query_native=${q}&in=inbox`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((m: { id: string }) => m.id)).toEqual([wanted.id]);
    const all = await api(
      t,
      "GET",
      `/v3/grants/${grantId}/messages?search_query_native=${encodeURIComponent("OR SUBJECT needle-search-1 SUBJECT haystack-1")}`,
    );
    expect(all.body.data.length).toBe(2);
    const bad = await api(
      t,
      "GET",
      `/v3/grants/${grantId}/messages?search_query_native=${encodeURIComponent("SINCE someday")}`,
    );
    expect(bad.status).toBe(400);
  });

  test("query_imap=true reads the provider's flags now, and a message gone there is a 404", async () => {
    const m = await indexedMessage("live-1");
    const client = await provider.connectAs(USER);
    await client.mailboxOpen("INBOX");
    await client.messageFlagsAdd(String(m.uid), ["\\Flagged"], { uid: true });
    await client.logout();
    const cached = await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}`);
    expect(cached.body.data.starred).toBe(false);
    const live = await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}?query_imap=true`);
    expect(live.body.data.starred).toBe(true);
    const list = await api(t, "GET", `/v3/grants/${grantId}/messages?query_imap=true&in=inbox&starred=true`);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(m.id);
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages?query_imap=true`)).status).toBe(400);
    const again = await provider.connectAs(USER);
    await again.mailboxOpen("INBOX");
    await again.messageDelete(String(m.uid), { uid: true });
    await again.logout();
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages/${m.id}?query_imap=true`)).status).toBe(404);
  });

  test("another application sees none of it (404) and cannot connect the address (409)", async () => {
    const m = await indexedMessage("isolated-1");
    const other = await createApplication(t);
    const as2 = (method: string, path: string, body?: unknown) => api(t, method, path, body, other.key);
    expect((await as2("GET", `/v3/grants/${grantId}`)).status).toBe(404);
    expect((await as2("GET", `/v3/grants/${grantId}/messages/${m.id}?query_imap=true`)).status).toBe(404);
    expect((await as2("PUT", `/v3/grants/${grantId}/messages/${m.id}`, { starred: true })).status).toBe(404);
    expect((await providerMessage("INBOX", "isolated-1"))?.flags).not.toContain("\\Flagged");
    const taken = await connectImap(t, provider, USER, "pw", {}, other.key);
    expect(taken.status).toBe(409);
  });
});
