import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import Nylas, { ServiceAccountSigner } from "nylas";
import { apiKeys } from "../../src/store/schema.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createApplication, expectDeleted, expectError } from "./helpers.ts";

/**
 * Nylas's application-level administration: API keys at /v3/admin/applications/{id}/api-keys,
 * PATCH /v3/applications, PATCH (and the SDK's PUT) /v3/connectors/{provider}.
 */

let t: TestServer;
let operatorApp: string;
beforeAll(async () => {
  t = await startTestServer();
  operatorApp = (await api(t, "GET", "/v3/applications")).body.data.application_id;
});
afterAll(() => t.stop());

const keys = (app: string, id = "") => `/v3/admin/applications/${app}/api-keys${id ? `/${id}` : ""}`;

describe("API keys at Nylas's path", () => {
  test("create (the key once, an expiry in days), list, get, revoke: the key stops at once", async () => {
    const { applicationId } = await createApplication(t, "keys");
    const created = await api(t, "POST", keys(applicationId), { name: "ci", expires_in: 7 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const key = created.body.data;
    expect(key).toMatchObject({
      name: "ci",
      application_id: applicationId,
      status: "active",
      permissions: [],
    });
    expect(key.expires_at - key.created_at).toBe(7 * 86_400);
    expect(key.api_key).toStartWith("abx_");
    const listed = await api(t, "GET", keys(applicationId));
    expect(listed.body.data.map((k: any) => k.id)).toContain(key.id);
    expect(listed.body.data.every((k: any) => !("api_key" in k))).toBe(true);
    expect((await api(t, "GET", keys(applicationId, key.id))).body.data.id).toBe(key.id);
    expect((await api(t, "GET", "/v3/grants", undefined, key.api_key)).status).toBe(200);
    expectDeleted(await api(t, "DELETE", keys(applicationId, key.id)));
    expect((await api(t, "GET", "/v3/grants", undefined, key.api_key)).status).toBe(401);
    expect((await api(t, "GET", keys(applicationId, key.id))).body.data.status).toBe("revoked");
  });

  test("an expired key no longer authenticates", async () => {
    const created = await api(t, "POST", keys(operatorApp), { expires_in: 1 });
    const key = created.body.data;
    await t.server.store.writer.submit((tx) =>
      tx
        .update(apiKeys)
        .set({ expiresAt: Math.floor(Date.now() / 1000) - 1 })
        .where(eq(apiKeys.id, key.id)),
    );
    expectError(await api(t, "GET", "/v3/grants", undefined, key.api_key), 401, "unauthorized");
    expect((await api(t, "GET", keys(operatorApp, key.id))).body.data.status).toBe("expired");
  });

  test("another application's keys are 404s to a non-operator key; a bad expiry is a 400", async () => {
    const mine = await createApplication(t, "mine");
    const theirs = await createApplication(t, "theirs");
    expectError(await api(t, "GET", keys(theirs.applicationId), undefined, mine.key), 404, "not_found_error");
    expectError(
      await api(t, "GET", keys(mine.applicationId, theirs.keyId), undefined, mine.key),
      404,
      "not_found_error",
    );
    expect((await api(t, "GET", keys(mine.applicationId), undefined, mine.key)).status).toBe(200);
    expectError(await api(t, "POST", keys(operatorApp), { expires_in: 0 }), 400, "invalid_request_error");
    expectError(await api(t, "POST", keys(operatorApp), { scopes: [] }), 400, "invalid_request_error");
  });

  test("a service account signs the request, as Nylas documents for this path", async () => {
    const account = (await api(t, "POST", "/v3/admin/service-accounts", {})).body.data;
    const signer = new ServiceAccountSigner({
      privateKeyPem: account.credentials.private_key,
      privateKeyId: account.credentials.private_key_id,
    });
    const path = keys(operatorApp);
    const { headers, serializedBody } = signer.buildHeaders({
      method: "POST",
      path,
      body: { name: "signed" },
    });
    const res = await fetch(`${t.url}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: serializedBody,
    });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.data.name).toBe("signed");
  });
});

describe("PATCH /v3/applications", () => {
  test("branding, hosted_authentication and callback_uris are stored, each replaced whole", async () => {
    const { key } = await createApplication(t, "branded");
    const first = await api(
      t,
      "PATCH",
      "/v3/applications",
      {
        branding: { name: "Acme", icon_url: "https://acme.example/i.png" },
        callback_uris: [{ platform: "web", url: "https://acme.example/cb" }],
      },
      key,
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data.branding).toEqual({ name: "Acme", icon_url: "https://acme.example/i.png" });
    expect(first.body.data.callback_uris[0]).toMatchObject({ platform: "web", id: expect.any(String) });
    await api(t, "PATCH", "/v3/applications", { branding: { name: "Acme 2" }, region: "eu" }, key);
    const got = (await api(t, "GET", "/v3/applications", undefined, key)).body.data;
    expect(got.branding).toEqual({ name: "Acme 2" });
    expect(got.region).toBe("us"); // managed by the server: ignored on write
    expect(got.callback_uris).toHaveLength(1);
    // Another application is untouched.
    expect((await api(t, "GET", "/v3/applications")).body.data.branding).toBeUndefined();
  });

  test("unknown fields and malformed settings are 400s", async () => {
    expectError(await api(t, "PATCH", "/v3/applications", { colour: "red" }), 400, "invalid_request_error");
    expectError(
      await api(t, "PATCH", "/v3/applications", { callback_uris: [{ platform: "fax", url: "x" }] }),
      400,
      "invalid_request_error",
      "platform",
    );
    expectError(
      await api(t, "PATCH", "/v3/applications", { branding: { name: { nested: true } } }),
      400,
      "invalid_request_error",
      "branding.name",
    );
  });
});

describe("updating a connector", () => {
  test("PATCH replaces settings and scope; the SDK's update (PUT) does the same", async () => {
    const { key } = await createApplication(t, "connectors");
    expect((await api(t, "POST", "/v3/connectors", { provider: "nylas" }, key)).status).toBe(201);
    const patched = await api(
      t,
      "PATCH",
      "/v3/connectors/nylas",
      { settings: { a: "1" }, scope: ["x"] },
      key,
    );
    expect(patched.body.data).toEqual({
      name: "nylas",
      provider: "nylas",
      settings: { a: "1" },
      scope: ["x"],
    });
    const nylas = new Nylas({ apiKey: key, apiUri: t.url });
    const updated = await nylas.connectors.update({
      provider: "nylas",
      requestBody: { settings: { b: "2" } },
    });
    expect(updated.data.settings).toEqual({ b: "2" });
    expect(updated.data.scope).toEqual(["x"]);
  });

  test("an unknown connector is a 404; credentials this server does not keep are a 400", async () => {
    const { key } = await createApplication(t, "connectors 2");
    expectError(await api(t, "PATCH", "/v3/connectors/nylas", { settings: {} }, key), 404, "not_found_error");
    await api(t, "POST", "/v3/connectors", { provider: "nylas" }, key);
    expectError(
      await api(t, "PATCH", "/v3/connectors/nylas", { active_credential_id: "c1" }, key),
      400,
      "invalid_request_error",
      "credentials",
    );
  });
});
