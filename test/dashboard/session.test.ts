import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../support/server.ts";

/** The dashboard's sign-in and CSRF rules over plain HTTP, as a hostile page or script would try. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function signIn(key: string, origin: string | null = t.url) {
  return fetch(`${t.url}/dashboard/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(origin && { origin }) },
    body: JSON.stringify({ api_key: key }),
  });
}

async function session(): Promise<{ cookie: string; csrf: string }> {
  const res = await signIn(t.apiKey);
  expect(res.status).toBe(200);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token };
}

describe("dashboard sessions", () => {
  test("the pages carry a CSP that allows nothing from elsewhere, and cannot be framed", async () => {
    const res = await fetch(`${t.url}/dashboard/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // A browser asking for / gets the dashboard; an API client, the JSON index (test/api/openapi.test.ts).
    const home = await fetch(`${t.url}/`, { redirect: "manual", headers: { accept: "text/html,*/*;q=0.8" } });
    expect(home.headers.get("location")).toBe("/dashboard/");
    expect((await fetch(`${t.url}/dashboard/nope.js`)).status).toBe(404);
  });

  test("sign-in sets an HttpOnly SameSite=Strict cookie that is not the key", async () => {
    const res = await signIn(t.apiKey);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^agentbox_session=[A-Za-z0-9_-]{43}; Path=\/dashboard; HttpOnly; SameSite=Strict/,
    );
    expect(cookie).not.toContain(t.apiKey);
  });

  test("a wrong key is a 401; a sign-in from another origin (or none) is a 403", async () => {
    expect((await signIn("abx_wrong")).status).toBe(401);
    expect((await signIn(t.apiKey, "http://evil.example")).status).toBe(403);
    expect((await signIn(t.apiKey, null)).status).toBe(403);
  });

  test("the API through the dashboard: 401 without a session; changes need the CSRF token and the origin", async () => {
    expect((await fetch(`${t.url}/dashboard/api/v3/grants`)).status).toBe(401);
    const { cookie, csrf } = await session();
    const read = await fetch(`${t.url}/dashboard/api/v3/grants`, { headers: { cookie } });
    expect(read.status).toBe(200);
    const create = (headers: Record<string, string>) =>
      fetch(`${t.url}/dashboard/api/v3/connect/custom`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({
          provider: "nylas",
          settings: { email: `s-${crypto.randomUUID().slice(0, 6)}@agents.localhost` },
        }),
      });
    expect((await create({ origin: t.url })).status).toBe(403);
    expect((await create({ origin: t.url, "x-csrf-token": "guess" })).status).toBe(403);
    expect((await create({ origin: "http://evil.example", "x-csrf-token": csrf })).status).toBe(403);
    expect((await create({ origin: t.url, "x-csrf-token": csrf })).status).toBe(201);
    // Only /v3 is reachable through it.
    expect((await fetch(`${t.url}/dashboard/api/metrics`, { headers: { cookie } })).status).toBe(404);
  });

  test("sign-out ends the session", async () => {
    const { cookie, csrf } = await session();
    const out = await fetch(`${t.url}/dashboard/session`, {
      method: "DELETE",
      headers: { cookie, origin: t.url, "x-csrf-token": csrf },
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${t.url}/dashboard/api/v3/grants`, { headers: { cookie } })).status).toBe(401);
  });
});
