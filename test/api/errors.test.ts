import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import {
  createAccount,
  createApplication,
  expectDeleted,
  expectError,
  expectRequestId,
  type Reply,
  uniqueDomain,
} from "./helpers.ts";

/** The cross-cutting envelope contract (reference §1.2, §1.3): every answer is JSON with a request id. */

const MIB = 1024 * 1024;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

/** A request with a raw Authorization header (or none). */
async function withAuthorization(header: string | null, path = "/v3/grants"): Promise<Reply> {
  const res = await fetch(`${t.url}${path}`, header === null ? {} : { headers: { authorization: header } });
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
}

async function raw(
  method: string,
  path: string,
  body: string,
  key: string | null = t.apiKey,
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${t.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

describe("authentication", () => {
  test("no Authorization header is a 401 in the Nylas envelope", async () => {
    const res = await withAuthorization(null);
    expectError(res, 401, "unauthorized", "Authorization");
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  test("a malformed Authorization header is a 401", async () => {
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer two words", "abx_no_scheme"]) {
      const res = await withAuthorization(header);
      expectError(res, 401, "unauthorized", "malformed");
    }
  });

  test("an unknown key is a 401 that does not echo the key", async () => {
    const res = await withAuthorization("Bearer abx_not_a_key_of_this_server");
    expectError(res, 401, "unauthorized", "invalid or revoked API key");
    expect(JSON.stringify(res.body)).not.toContain("abx_not_a_key_of_this_server");
  });

  test("the operator key is accepted, case-insensitive scheme included", async () => {
    const res = await withAuthorization(`bearer ${t.apiKey}`);
    expect(res.status).toBe(200);
    expectRequestId(res);
  });
});

describe("request errors", () => {
  test("malformed JSON is a 400 invalid_request_error", async () => {
    const res = await raw("POST", "/v3/connect/custom", '{"provider": "nylas", "settings": {');
    expectError(res, 400, "invalid_request_error", "JSON");
  });

  test("a JSON array where an object is expected is a 400", async () => {
    const res = await raw("POST", "/v3/connect/custom", "[1, 2]");
    expectError(res, 400, "invalid_request_error", "must be a JSON object");
  });

  test("an unknown /v3 route is a 404 not_found_error naming it", async () => {
    const res = await api(t, "GET", "/v3/no-such-thing");
    expectError(res, 404, "not_found_error", "GET /v3/no-such-thing");
  });

  test("an unknown route outside /v3 is a 404 too", async () => {
    const res = await api(t, "GET", "/nothing-here", undefined, null);
    expectError(res, 404, "not_found_error", "/nothing-here");
  });

  test("a body over 1 MiB is refused with 413 from its Content-Length", async () => {
    const res = await raw("POST", "/v3/connect/custom", "x".repeat(MIB + 1));
    expectError(res, 413, "invalid_request_error", String(MIB + 1), String(MIB));
  });

  test("a body of exactly 1 MiB is read (and judged on its content)", async () => {
    const prefix = '{"provider":"nylas","padding":"';
    const body = `${prefix}${"x".repeat(MIB - prefix.length - 2)}"}`;
    expect(body.length).toBe(MIB);
    const res = await raw("POST", "/v3/connect/custom", body);
    expectError(res, 400, "invalid_request_error", "padding");
  });

  test("a chunked body (no Content-Length) over 1 MiB is refused with 413 too", async () => {
    const prefix = '{"provider":"nylas","padding":"';
    const bytes = new TextEncoder().encode(`${prefix}${"x".repeat(2 * MIB)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const res = await fetch(`${t.url}/v3/connect/custom`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body,
    });
    expectError(
      { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers },
      413,
      "invalid_request_error",
    );
  });

  test("every request gets its own request id", async () => {
    const a = await api(t, "GET", "/v3/grants");
    const b = await api(t, "GET", "/v3/grants");
    expectRequestId(a);
    expectRequestId(b);
    expect(a.body.request_id).not.toBe(b.body.request_id);
  });
});

describe("DELETE always answers 200 with {request_id}", () => {
  test("grants", async () => {
    const grant = await createAccount(t);
    expectDeleted(await api(t, "DELETE", `/v3/grants/${grant.id}`));
  });

  test("domains", async () => {
    const created = await api(t, "POST", "/v3/admin/domains", { name: "d", domain_address: uniqueDomain() });
    expect(created.status).toBe(200);
    expectDeleted(await api(t, "DELETE", `/v3/admin/domains/${created.body.data.id}`));
  });

  test("api keys and service accounts", async () => {
    const { keyId } = await createApplication(t);
    expectDeleted(await api(t, "DELETE", `/v3/admin/api-keys/${keyId}`));
    const account = await api(t, "POST", "/v3/admin/service-accounts", {});
    expect(account.status).toBe(200);
    expectDeleted(await api(t, "DELETE", `/v3/admin/service-accounts/${account.body.data.id}`));
  });

  test("connectors", async () => {
    const created = await api(t, "POST", "/v3/connectors", { name: "nylas", provider: "nylas" });
    expect(created.status).toBe(201);
    expectDeleted(await api(t, "DELETE", "/v3/connectors/nylas"));
  });
});

describe("paths", () => {
  test("a doubled slash (apiUri with a trailing slash) reaches the route", async () => {
    const list = await api(t, "GET", "//v3/grants?limit=1");
    expect(list.status).toBe(200);
    expect(list.body.limit).toBe(1);
    expect(Array.isArray(list.body.data)).toBe(true);
  });

  test("a doubled slash keeps the body of a POST", async () => {
    const res = await api(t, "POST", "//v3/connect/custom", { provider: "google", settings: {} });
    expectError(res, 400, "invalid_request_error", '"google"');
  });
});

describe("failed-authentication rate limit", () => {
  // 30 failures lock the client's IP out for the rest of the minute: its own server.
  let locked: TestServer;
  beforeAll(async () => {
    locked = await startTestServer();
  });
  afterAll(() => locked.stop());

  test("the 31st bad attempt within a minute is a 429 with Retry-After, even for a good key", async () => {
    for (let i = 1; i <= 30; i++) {
      const res = await api(locked, "GET", "/v3/grants", undefined, `abx_wrong_${i}`);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const blocked = await api(locked, "GET", "/v3/grants", undefined, "abx_wrong_31");
    expectError(blocked, 429, "rate_limit_error");
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The IP is locked out: the operator key waits too.
    expectError(await api(locked, "GET", "/v3/grants"), 429, "rate_limit_error");
    // Health checks are not behind authentication.
    expect((await fetch(`${locked.url}/healthz`)).status).toBe(200);
  });

  test("another server's limiter is unaffected", async () => {
    expect((await api(t, "GET", "/v3/grants")).status).toBe(200);
  });
});
