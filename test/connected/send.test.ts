import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { providerLocationOf } from "../../src/connected/provider-index.ts";
import { type CaptureServer, startCaptureServer } from "../smtp/support/capture-server.ts";
import {
  connectImap,
  dovecotInstalled,
  type PrivateDovecot,
  startPrivateDovecot,
} from "../support/dovecot.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;
const USER = "dee@provider.test";

/** Sending on a connected account: the provider's SMTP (a capture server here), then its Sent folder. */
maybe("sending on a connected account", () => {
  let provider: PrivateDovecot;
  let smtp: CaptureServer;
  let t: TestServer;
  let grantId: string;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, "pw");
    const tls = {
      certPem: readFileSync(join(provider.dir, "tls", "server.pem"), "utf8"),
      keyPem: readFileSync(join(provider.dir, "tls", "server-key.pem"), "utf8"),
    };
    smtp = await startCaptureServer({ auth: { user: USER, pass: "smtp-pw" }, tls });
    t = await startTestServer({
      AGENTBOX_PROVIDER_CA_FILE: provider.caFile,
      AGENTBOX_PROVIDER_CONNECT_TIMEOUT_MS: "2000",
    });
    const res = await connectImap(t, provider, USER, "pw", {
      smtp_port: smtp.port,
      smtp_password: "smtp-pw",
    });
    expect(res.status).toBe(201);
    grantId = res.body.data.id;
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
    await smtp?.close();
    await provider?.destroy();
  }, 20_000);

  const sentAtProvider = (subject: string) => inFolder("Sent", subject);
  async function inFolder(folder: string, subject: string): Promise<number[]> {
    const client = await provider.connectAs(USER);
    try {
      await client.mailboxOpen(folder);
      return (await client.search({ subject }, { uid: true })) || [];
    } finally {
      await client.logout();
    }
  }

  test("messages/send goes out through the provider's SMTP (STARTTLS, as the account) and into its Sent", async () => {
    const res = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
      to: [{ email: "friend@elsewhere.test" }],
      bcc: [{ email: "hidden@elsewhere.test" }],
      subject: "through the provider",
      body: "hello from the agent",
    });
    expect(res.status).toBe(200);
    const [captured] = await smtp.waitFor(1);
    expect(captured?.secure).toBe(true);
    expect(captured?.user).toBe(USER);
    expect(captured?.mailFrom).toBe(USER);
    expect(captured?.rcptTo.sort()).toEqual(["friend@elsewhere.test", "hidden@elsewhere.test"]);
    expect(captured?.raw.toString()).not.toContain("hidden@elsewhere.test"); // Bcc is not in the bytes sent
    const uids = await sentAtProvider("through the provider");
    expect(uids.length).toBe(1);
    const local = res.body.data;
    expect(local.folders).toEqual(["sent"]);
    expect(providerLocationOf(t.server.store, grantId, local.id)).toMatchObject({
      folderPath: "Sent",
      uid: uids[0],
    });
    // Nothing was queued for delivery from this server.
    const queue = await api(t, "GET", "/v3/admin/outbound");
    expect(queue.status).toBe(200);
    expect(JSON.stringify(queue.body)).not.toContain("friend@elsewhere.test");
  });

  test("a draft sent goes out the same way", async () => {
    const draft = await api(t, "POST", `/v3/grants/${grantId}/drafts`, {
      to: [{ email: "other@elsewhere.test" }],
      subject: "a draft through the provider",
      body: "draft body",
    });
    expect(draft.status).toBe(200);
    // Saved through the API, the draft is filed in the provider's Drafts too, and indexed there.
    expect((await inFolder("Drafts", "a draft through the provider")).length).toBe(1);
    const filed = providerLocationOf(t.server.store, grantId, draft.body.data.id);
    expect(filed?.folderPath).toBe("Drafts");
    const edited = await api(t, "PUT", `/v3/grants/${grantId}/drafts/${draft.body.data.id}`, {
      body: "draft body, edited",
    });
    expect(edited.status).toBe(200);
    expect((await inFolder("Drafts", "a draft through the provider")).length).toBe(1); // the old version is gone
    expect(providerLocationOf(t.server.store, grantId, draft.body.data.id)?.uid).not.toBe(filed?.uid);
    const sent = await api(t, "POST", `/v3/grants/${grantId}/drafts/${draft.body.data.id}`);
    expect(sent.status).toBe(200);
    const messages = await smtp.waitFor(2);
    expect(messages[1]?.rcptTo).toEqual(["other@elsewhere.test"]);
    expect((await sentAtProvider("a draft through the provider")).length).toBe(1);
    expect((await inFolder("Drafts", "a draft through the provider")).length).toBe(0);
  });

  test("a draft deleted through the API is deleted at the provider", async () => {
    const draft = await api(t, "POST", `/v3/grants/${grantId}/drafts`, {
      subject: "a draft to drop",
      body: "x",
    });
    expect((await inFolder("Drafts", "a draft to drop")).length).toBe(1);
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/drafts/${draft.body.data.id}`)).status).toBe(200);
    expect((await inFolder("Drafts", "a draft to drop")).length).toBe(0);
  });

  test("an SMTP refusal is a 502 and nothing is stored", async () => {
    smtp.dataReplies.push({ code: 554, text: "5.7.1 rejected by policy" });
    const before = (await api(t, "GET", `/v3/grants/${grantId}/messages?in=sent`)).body.data.length;
    const res = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
      to: [{ email: "friend@elsewhere.test" }],
      subject: "refused",
      body: "x",
    });
    expect(res.status).toBe(502);
    expect(res.body.error.type).toBe("provider_error");
    expect((await api(t, "GET", `/v3/grants/${grantId}/messages?in=sent`)).body.data.length).toBe(before);
    expect((await sentAtProvider("refused")).length).toBe(0);
  });
});
