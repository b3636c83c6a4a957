import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { grants } from "../../src/store/schema.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import {
  connect,
  createAccount,
  createApplication,
  expectDeleted,
  expectError,
  uniqueDomain,
  uniqueEmail,
} from "./helpers.ts";

/** An API key sees only its own application's grants and domains (docs/architecture.md, "Isolation"). */

let t: TestServer;
/** Application 1 is the default one (the operator key's). */
let operatorAppId: string;
let grantOfApp1: Record<string, any>;
let domainOfApp1: Record<string, any>;
/** Application 2 and its key. */
let app2: { applicationId: string; key: string; keyId: string };

beforeAll(async () => {
  t = await startTestServer();
  operatorAppId = (await api(t, "GET", "/v3/applications")).body.data.application_id;
  grantOfApp1 = await createAccount(t, { email: uniqueEmail("app1") }, { name: "App one" });
  const domain = await api(t, "POST", "/v3/admin/domains", {
    name: "app1",
    domain_address: uniqueDomain("app1-"),
  });
  expect(domain.status).toBe(200);
  domainOfApp1 = domain.body.data;
  app2 = await createApplication(t, "tenant two");
});
afterAll(() => t.stop());

const as2 = (method: string, path: string, body?: unknown) => api(t, method, path, body, app2.key);

describe("administration is fenced", () => {
  test("a non-operator key cannot create applications (403)", async () => {
    expectError(await as2("POST", "/v3/admin/applications", { name: "mine" }), 403, "forbidden", "operator");
  });

  test("it cannot create keys or service accounts for another application (403)", async () => {
    const key = await as2("POST", "/v3/admin/api-keys", { application_id: operatorAppId });
    expectError(key, 403, "forbidden");
    const account = await as2("POST", "/v3/admin/service-accounts", { application_id: operatorAppId });
    expectError(account, 403, "forbidden");
    expectError(await as2("GET", `/v3/admin/api-keys?application_id=${operatorAppId}`), 403, "forbidden");
  });

  test("it cannot revoke another application's key (404), and that key keeps working", async () => {
    const keys = await api(t, "GET", "/v3/admin/api-keys");
    const operatorKey = (keys.body.data as { id: string; name: string }[]).find(
      (k) => k.name === "AGENTBOX_API_KEY",
    );
    expect(operatorKey).toBeDefined();
    expectError(await as2("DELETE", `/v3/admin/api-keys/${operatorKey?.id}`), 404, "not_found_error");
    expect((await api(t, "GET", "/v3/grants")).status).toBe(200);
  });

  test("it cannot see or revoke another application's service account (404)", async () => {
    const account = await api(t, "POST", "/v3/admin/service-accounts", {});
    expect(account.status).toBe(200);
    const listed = await as2("GET", "/v3/admin/service-accounts");
    expect((listed.body.data as { id: string }[]).map((a) => a.id)).not.toContain(account.body.data.id);
    expectError(
      await as2("DELETE", `/v3/admin/service-accounts/${account.body.data.id}`),
      404,
      "not_found_error",
    );
    const mine = await api(t, "GET", "/v3/admin/service-accounts");
    const row = (mine.body.data as { id: string; status: string }[]).find(
      (a) => a.id === account.body.data.id,
    );
    expect(row?.status).toBe("active");
  });

  test("it sees only its own application", async () => {
    const apps = await as2("GET", "/v3/admin/applications");
    expect((apps.body.data as { id: string }[]).map((a) => a.id)).toEqual([app2.applicationId]);
    expect((await as2("GET", "/v3/applications")).body.data.application_id).toBe(app2.applicationId);
  });

  test("it can create and list keys of its own application", async () => {
    const key = await as2("POST", "/v3/admin/api-keys", { name: "own" });
    expect(key.status).toBe(200);
    expect(key.body.data.application_id).toBe(app2.applicationId);
    const keys = await as2("GET", "/v3/admin/api-keys");
    const appIds = new Set((keys.body.data as { application_id: string }[]).map((k) => k.application_id));
    expect([...appIds]).toEqual([app2.applicationId]);
  });
});

describe("grants of another application are invisible", () => {
  test("its grant list is empty", async () => {
    const res = await as2("GET", "/v3/grants?limit=200");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect((await as2("GET", `/v3/grants?email=${encodeURIComponent(grantOfApp1.email)}`)).body.data).toEqual(
      [],
    );
  });

  test("get by id, email or email: is a 404", async () => {
    for (const ref of [
      grantOfApp1.id,
      grantOfApp1.email,
      `email:${grantOfApp1.email}`,
      `grant:${grantOfApp1.id}`,
    ]) {
      expectError(await as2("GET", `/v3/grants/${ref}`), 404, "not_found_error");
    }
  });

  test("patch and delete are 404s and change nothing", async () => {
    expectError(
      await as2("PATCH", `/v3/grants/${grantOfApp1.id}`, { name: "Hijacked" }),
      404,
      "not_found_error",
    );
    expectError(await as2("DELETE", `/v3/grants/${grantOfApp1.id}`), 404, "not_found_error");
    const [row] = await t.server.store.read.select().from(grants).where(eq(grants.id, grantOfApp1.id));
    expect(row?.name).toBe("App one");
  });

  test("it can create an account on the trial domain, which application 1 cannot see", async () => {
    const mine = await createAccount(t, { email: uniqueEmail("app2") }, {}, app2.key);
    const [row] = await t.server.store.read.select().from(grants).where(eq(grants.id, mine.id));
    expect(row?.applicationId).toBe(app2.applicationId);
    expect((await as2("GET", "/v3/grants")).body.data.map((g: { id: string }) => g.id)).toEqual([mine.id]);
    expectError(await api(t, "GET", `/v3/grants/${mine.id}`), 404, "not_found_error");
  });

  test("an email application 1 already uses is a 409 for application 2", async () => {
    const res = await connect(t, { email: grantOfApp1.email }, {}, app2.key);
    expectError(res, 409, "conflict", grantOfApp1.email);
  });

  test("it cannot create accounts on application 1's own domain", async () => {
    const res = await connect(t, { email: `x@${domainOfApp1.domain_address}` }, {}, app2.key);
    expectError(
      res,
      400,
      "invalid_request_error",
      domainOfApp1.domain_address,
      "not registered to this application",
    );
  });
});

describe("domains of another application are invisible", () => {
  test("its domain list does not include them", async () => {
    const res = await as2("GET", "/v3/admin/domains?limit=200");
    expect(res.status).toBe(200);
    const ids = (res.body.data as { id: string }[]).map((d) => d.id);
    expect(ids).not.toContain(domainOfApp1.id);
    expect(
      res.body.data.every((d: { organization_id: string }) => d.organization_id === app2.applicationId),
    ).toBe(true);
  });

  test("get by id or address, rename, info, verify and delete are 404s", async () => {
    const { id, domain_address: address } = domainOfApp1;
    expectError(await as2("GET", `/v3/admin/domains/${id}`), 404, "not_found_error");
    expectError(await as2("GET", `/v3/admin/domains/${address}`), 404, "not_found_error");
    expectError(await as2("PUT", `/v3/admin/domains/${id}`, { name: "mine" }), 404, "not_found_error");
    expectError(
      await as2("POST", `/v3/admin/domains/${id}/info`, { type: "ownership" }),
      404,
      "not_found_error",
    );
    expectError(
      await as2("POST", `/v3/admin/domains/${id}/verify`, { type: "ownership" }),
      404,
      "not_found_error",
    );
    expectError(await as2("DELETE", `/v3/admin/domains/${id}`), 404, "not_found_error");
    const still = await api(t, "GET", `/v3/admin/domains/${id}`);
    expect(still.body.data.name).toBe("app1");
  });
});

describe("revocation", () => {
  test("a revoked key gets 401 at once", async () => {
    const extra = await api(t, "POST", "/v3/admin/api-keys", {
      application_id: app2.applicationId,
      name: "short-lived",
    });
    const key: string = extra.body.data.api_key;
    expect((await api(t, "GET", "/v3/grants", undefined, key)).status).toBe(200);
    expectDeleted(await api(t, "DELETE", `/v3/admin/api-keys/${extra.body.data.id}`));
    expectError(await api(t, "GET", "/v3/grants", undefined, key), 401, "unauthorized", "revoked");
    const listed = await api(t, "GET", `/v3/admin/api-keys?application_id=${app2.applicationId}`);
    const row = (listed.body.data as { id: string; status: string }[]).find(
      (k) => k.id === extra.body.data.id,
    );
    expect(row?.status).toBe("revoked");
    // The application's other key is untouched.
    expect((await as2("GET", "/v3/grants")).status).toBe(200);
  });

  test("a key can revoke itself", async () => {
    const own = await as2("POST", "/v3/admin/api-keys", { name: "self" });
    const key: string = own.body.data.api_key;
    expectDeleted(await api(t, "DELETE", `/v3/admin/api-keys/${own.body.data.id}`, undefined, key));
    expectError(await api(t, "GET", "/v3/grants", undefined, key), 401, "unauthorized");
  });
});
