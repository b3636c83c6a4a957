import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import Nylas, { NylasApiError, ServiceAccountSigner } from "nylas";
import { grants } from "../../src/store/schema.ts";
import { OTHER_PASSWORD, PASSWORD, uniqueDomain, uniqueEmail } from "../api/helpers.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** The official Node SDK (nylas@8.4.0), unchanged but for apiUri, against the real server. */

let dns: TestDnsServer;
let t: TestServer;
let nylas: Nylas;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await startTestServer({ AGENTBOX_DNS_SERVER: dns.address });
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

async function grantRow(id: string) {
  const [row] = await t.server.store.read.select().from(grants).where(eq(grants.id, id));
  return row;
}

/** The NylasApiError a call rejects with (fails the test when it resolves or throws something else). */
async function apiErrorOf(call: Promise<unknown>): Promise<NylasApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome))
    throw new Error(`expected a NylasApiError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(NylasApiError);
  return outcome.error as NylasApiError;
}

function expectApiError(err: NylasApiError, statusCode: number, type: string, ...parts: string[]): void {
  expect(err.statusCode).toBe(statusCode);
  expect(err.type).toBe(type);
  for (const part of parts) expect(err.message).toContain(part);
  // The SDK takes requestId from the x-request-id header.
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe("grants through the SDK", () => {
  test("an invalid app password is a NylasApiError 400 with the server's message and request id", async () => {
    const err = await apiErrorOf(
      nylas.auth.customAuthentication({
        requestBody: {
          provider: "nylas",
          settings: { email: uniqueEmail("sdk-bad"), appPassword: "alllowercase123456" },
        },
      }),
    );
    expectApiError(err, 400, "invalid_request_error", "app_password", "upper-case");
    expect(err.headers?.["x-request-id"]).toBe(err.requestId);
  });

  test("an unknown grant is a NylasApiError 404", async () => {
    const err = await apiErrorOf(nylas.grants.find({ grantId: crypto.randomUUID() }));
    expectApiError(err, 404, "not_found_error");
  });

  test("a wrong API key is a NylasApiError 401", async () => {
    const stranger = new Nylas({ apiKey: "abx_wrong_key", apiUri: t.url });
    expectApiError(await apiErrorOf(stranger.grants.list()), 401, "unauthorized");
  });

  test("customAuthentication creates an agent account; find, list, update, destroy", async () => {
    const email = uniqueEmail("sdk");
    const created = await nylas.auth.customAuthentication({
      requestBody: { provider: "nylas", settings: { email, appPassword: PASSWORD } },
    });
    expect(created.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const grant = created.data;
    expect(grant).toMatchObject({ provider: "nylas", grantStatus: "valid", email, scope: [] });
    expect(Number.isInteger(grant.createdAt)).toBe(true);
    expect(await bcrypt.compare(PASSWORD, (await grantRow(grant.id))?.appPasswordHash ?? "")).toBe(true);

    // find: by id, and by email (the SDK URL-encodes it).
    expect((await nylas.grants.find({ grantId: grant.id })).data.email).toBe(email);
    expect((await nylas.grants.find({ grantId: email })).data.id).toBe(grant.id);

    // list: everything, and filtered by email.
    const all = await nylas.grants.list({ queryParams: { limit: 200 } });
    expect(all.data.map((g) => g.id)).toContain(grant.id);
    const one = await nylas.grants.list({ queryParams: { email } });
    expect(one.data.map((g) => g.id)).toEqual([grant.id]);

    // update: rotate the app password (the SDK snake-cases appPassword).
    const updated = await nylas.grants.update({
      grantId: grant.id,
      requestBody: { settings: { email, appPassword: OTHER_PASSWORD } },
    });
    expect(updated.data.id).toBe(grant.id);
    expect(JSON.stringify(updated.data)).not.toContain(OTHER_PASSWORD);
    const row = await grantRow(grant.id);
    expect(row?.passwordVersion).toBe(2);
    expect(await bcrypt.compare(OTHER_PASSWORD, row?.appPasswordHash ?? "")).toBe(true);
    expect(await bcrypt.compare(PASSWORD, row?.appPasswordHash ?? "")).toBe(false);

    // destroy: a parsable {request_id}, then the grant is gone.
    const gone = await nylas.grants.destroy({ grantId: grant.id });
    expect(gone.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expectApiError(await apiErrorOf(nylas.grants.find({ grantId: grant.id })), 404, "not_found_error");
  });

  test("an apiUri with a trailing slash still works", async () => {
    const slashed = new Nylas({ apiKey: t.apiKey, apiUri: `${t.url}/` });
    const res = await slashed.grants.list({ queryParams: { limit: 1 } });
    expect(Array.isArray(res.data)).toBe(true);
  });
});

describe("domains through the SDK, signed by a service account", () => {
  let applicationId: string;
  let accountId: string;
  let signer: ServiceAccountSigner;
  beforeAll(async () => {
    // A fresh application, so the signer's domain list is exactly what this suite makes.
    const app = await api(t, "POST", "/v3/admin/applications", { name: "sdk domains" });
    applicationId = app.body.data.id;
    const account = await api(t, "POST", "/v3/admin/service-accounts", { application_id: applicationId });
    expect(account.status).toBe(200);
    const creds = account.body.data.credentials;
    expect(creds).toMatchObject({ type: "service_account", private_key_id: account.body.data.id });
    expect(creds.private_key).toContain("BEGIN PRIVATE KEY");
    accountId = account.body.data.id;
    signer = new ServiceAccountSigner({
      privateKeyPem: creds.private_key,
      privateKeyId: creds.private_key_id,
    });
  });

  test("an invalid address is a NylasApiError 400", async () => {
    const err = await apiErrorOf(
      nylas.domains.create({ signer, requestBody: { name: "bad", domainAddress: "not a domain" } }),
    );
    expectApiError(err, 400, "invalid_request_error", "domain_address");
  });

  test("a signature from a key the server does not know is a 401", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const forged = new ServiceAccountSigner({ privateKeyPem: pem, privateKeyId: crypto.randomUUID() });
    expectApiError(
      await apiErrorOf(nylas.domains.list({ signer: forged })),
      401,
      "unauthorized",
      "X-Nylas-Kid",
    );
  });

  test("create, list (paged), find, update, info, verify and destroy", async () => {
    expect((await nylas.domains.list({ signer })).data).toEqual([]);

    const address = uniqueDomain("sdk-");
    const created = await nylas.domains.create({
      signer,
      requestBody: { name: "SDK domain", domainAddress: address },
    });
    const domain = created.data;
    expect(domain).toMatchObject({
      name: "SDK domain",
      domainAddress: address,
      organizationId: applicationId,
      verifiedOwnership: false,
      verifiedMx: false,
    });
    const id = domain.id ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // Two more, then page one at a time: each page is signed afresh and follows next_cursor.
    for (const n of [2, 3]) {
      await nylas.domains.create({
        signer,
        requestBody: { name: `more ${n}`, domainAddress: uniqueDomain("sdk-") },
      });
    }
    const seen: string[] = [];
    for await (const page of nylas.domains.list({ signer, queryParams: { limit: 1 } })) {
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((d) => d.id ?? ""));
    }
    const listed = (await nylas.domains.list({ signer })).data.map((d) => d.id ?? "");
    expect(seen).toEqual(listed);
    expect(seen).toHaveLength(3);
    expect(seen).toContain(id);

    expect((await nylas.domains.find({ signer, domainId: id })).data.domainAddress).toBe(address);
    expect((await nylas.domains.find({ signer, domainId: address })).data.id).toBe(id);

    const renamed = await nylas.domains.update({ signer, domainId: id, requestBody: { name: "Renamed" } });
    expect(renamed.data.name).toBe("Renamed");
    expect((await nylas.domains.find({ signer, domainId: id })).data.name).toBe("Renamed");

    const instructions = await nylas.domains.info({
      signer,
      domainId: id,
      requestBody: { type: "ownership" },
    });
    expect(instructions.data).toMatchObject({
      domainId: id,
      status: "pending",
      attempt: { type: "ownership" },
    });
    const record = instructions.data.attempt?.options ?? {};
    expect(record).toMatchObject({ type: "TXT", host: address });
    expect(record.value).toMatch(/^agentbox-ownership-verify=/);

    const early = await nylas.domains.verify({ signer, domainId: id, requestBody: { type: "ownership" } });
    expect(early.data.status).toBe("failed");
    expect(early.data.message).toContain(address);

    dns.set(record.host, "TXT", [record.value]);
    const done = await nylas.domains.verify({ signer, domainId: id, requestBody: { type: "ownership" } });
    expect(done.data.status).toBe("done");
    expect((await nylas.domains.find({ signer, domainId: id })).data.verifiedOwnership).toBe(true);

    const destroyed = await nylas.domains.destroy({ signer, domainId: id });
    expect(destroyed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expectApiError(await apiErrorOf(nylas.domains.find({ signer, domainId: id })), 404, "not_found_error");
  });

  test("the signer sees only its application's domains", async () => {
    const operatorDomain = await api(t, "POST", "/v3/admin/domains", {
      name: "op",
      domain_address: uniqueDomain(),
    });
    expect(operatorDomain.status).toBe(200);
    const listed = (await nylas.domains.list({ signer, queryParams: { limit: 200 } })).data;
    expect(listed.every((d) => d.organizationId === applicationId)).toBe(true);
    const err = await apiErrorOf(nylas.domains.find({ signer, domainId: operatorDomain.body.data.id }));
    expectApiError(err, 404, "not_found_error");
  });

  test("a revoked service account gets 401", async () => {
    expect((await nylas.domains.list({ signer })).data.length).toBeGreaterThan(0);
    const revoked = await api(t, "DELETE", `/v3/admin/service-accounts/${accountId}`);
    expect(revoked.status).toBe(200);
    expectApiError(await apiErrorOf(nylas.domains.list({ signer })), 401, "unauthorized");
  });
});
