import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { listConnectedGrantIds, loadConnectedAccount } from "../../src/connected/account.ts";
import {
  connectImap,
  dovecotInstalled,
  type PrivateDovecot,
  startPrivateDovecot,
} from "../support/dovecot.ts";
import { freePort } from "../support/process.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

const maybe = dovecotInstalled() ? describe : describe.skip;
const USER = "ana@provider.test";

maybe("connecting an IMAP account (POST /v3/connect/custom, provider imap)", () => {
  let provider: PrivateDovecot;
  let t: TestServer;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, "first-pass");
    t = await startTestServer({
      AGENTBOX_PROVIDER_CA_FILE: provider.caFile,
      AGENTBOX_PROVIDER_CONNECT_TIMEOUT_MS: "2000",
    });
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
    await provider?.destroy();
  }, 20_000);

  const connect = (settings: Record<string, unknown>, email = USER) =>
    connectImap(t, provider, email, "first-pass", { smtp_port: 2525, ...settings });
  const grantCount = async () => (await api(t, "GET", "/v3/grants?limit=200")).body.data.length;

  test("a wrong password is a 400 naming authentication, and no grant is made", async () => {
    const before = await grantCount();
    const res = await connect({ imap_password: "wrong" });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe("invalid_request_error");
    expect(res.body.error.message).toContain("IMAP authentication failed");
    expect(res.body.error.message).not.toContain("wrong");
    expect(await grantCount()).toBe(before);
  });

  test("nobody listening is a 400 naming the connection", async () => {
    const res = await connect({ imap_port: freePort() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("IMAP connection failed");
  });

  test("an unknown host without a known provider needs imap_host", async () => {
    const res = await api(t, "POST", "/v3/connect/custom", {
      provider: "imap",
      settings: { imap_username: USER, imap_password: "x" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("imap_host");
  });

  test("the right password over implicit TLS makes a grant with provider imap, no password shown", async () => {
    const res = await connect({});
    expect(res.status).toBe(201);
    const grant = res.body.data;
    expect(grant.provider).toBe("imap");
    expect(grant.grant_status).toBe("valid");
    expect(grant.email).toBe(USER);
    expect(grant.settings).toEqual({
      imap_username: USER,
      imap_host: "127.0.0.1",
      imap_port: provider.tlsPort,
      smtp_username: USER,
      smtp_host: "127.0.0.1",
      smtp_port: 2525,
    });
    expect(JSON.stringify(res.body)).not.toContain("first-pass");
    const got = await api(t, "GET", `/v3/grants/${grant.id}`);
    expect(got.body.data.provider).toBe("imap");
    const account = await loadConnectedAccount(t.server.store, grant.id);
    expect(account?.imap.security).toBe("tls");
    expect(account?.imap.password).toBe("first-pass");
    expect(account?.smtp.security).toBe("starttls");
    // The placeholder domain behind the grant is no domain of the application's.
    const domains = await api(t, "GET", "/v3/admin/domains");
    expect(JSON.stringify(domains.body.data)).not.toContain(".invalid");
  });

  test("re-connecting the same address re-authenticates the same grant with the new password", async () => {
    const first = (await api(t, "GET", `/v3/grants/${USER}`)).body.data;
    await provider.setPassword(USER, "second-pass");
    const stale = await connect({});
    expect(stale.status).toBe(400);
    const res = await connect({ imap_password: "second-pass", imap_port: provider.starttlsPort });
    expect(res.status).toBe(201);
    expect(res.body.data.id).toBe(first.id);
    expect(res.body.data.grant_status).toBe("valid");
    const account = await loadConnectedAccount(t.server.store, first.id);
    expect(account?.imap.password).toBe("second-pass");
    // The port is not 143, so implicit TLS was tried first, then STARTTLS worked.
    expect(account?.imap.security).toBe("starttls");
  }, 20_000);

  test("an agent account's address cannot be connected (409)", async () => {
    const created = await api(t, "POST", "/v3/connect/custom", {
      provider: "nylas",
      settings: { email: "agent@agents.localhost" },
    });
    expect(created.status).toBe(201);
    const res = await connect({}, "agent@agents.localhost");
    expect(res.status).toBe(409);
  });

  test("deleting the grant removes its credentials", async () => {
    const grant = (await api(t, "GET", `/v3/grants/${USER}`)).body.data;
    expect(await listConnectedGrantIds(t.server.store)).toContain(grant.id);
    expect((await api(t, "DELETE", `/v3/grants/${grant.id}`)).status).toBe(200);
    expect(await listConnectedGrantIds(t.server.store)).not.toContain(grant.id);
  });
});

maybe("a provider whose CA is not trusted", () => {
  let provider: PrivateDovecot;
  let t: TestServer;
  beforeAll(async () => {
    provider = await startPrivateDovecot();
    await provider.addUser(USER, "pw");
    t = await startTestServer({ AGENTBOX_PROVIDER_CONNECT_TIMEOUT_MS: "2000" });
  }, 30_000);
  afterAll(async () => {
    await t?.stop();
    await provider?.destroy();
  }, 20_000);

  test("is refused with a 400 naming TLS and the certificate", async () => {
    const res = await connectImap(t, provider, USER, "pw");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("IMAP TLS failed");
    expect(res.body.error.message).toContain("certificate");
  }, 15_000);
});

describe("connectors and provider detection", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  test("an imap connector is created, patched and deleted", async () => {
    const created = await api(t, "POST", "/v3/connectors", { provider: "imap", name: "People" });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ provider: "imap", name: "People" });
    const patched = await api(t, "PATCH", "/v3/connectors/imap", { settings: { note: "x" } });
    expect(patched.body.data.settings).toEqual({ note: "x" });
    expect((await api(t, "DELETE", "/v3/connectors/imap")).status).toBe(200);
    expect((await api(t, "GET", "/v3/connectors/imap")).status).toBe(404);
    const other = await api(t, "POST", "/v3/connectors", { provider: "exchange" });
    expect(other.status).toBe(400);
  });

  test("well-known domains are detected; others are imap, undetected", async () => {
    const detect = async (email: string) =>
      (await api(t, "POST", `/v3/providers/detect?email=${encodeURIComponent(email)}`)).body.data;
    expect(await detect("a@yahoo.com")).toEqual({
      email_address: "a@yahoo.com",
      detected: true,
      provider: "imap",
      type: "yahoo",
    });
    expect(await detect("a@icloud.com")).toMatchObject({ provider: "imap", type: "icloud" });
    expect(await detect("a@gmail.com")).toEqual({
      email_address: "a@gmail.com",
      detected: true,
      provider: "google",
    });
    expect(await detect("a@outlook.com")).toMatchObject({ provider: "microsoft" });
    expect(await detect("a@corp.example")).toEqual({
      email_address: "a@corp.example",
      detected: false,
      provider: "imap",
    });
    expect((await api(t, "POST", "/v3/providers/detect")).status).toBe(400);
  });
});
