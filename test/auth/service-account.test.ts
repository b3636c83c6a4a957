import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPrivateKey, createPublicKey, createSign } from "node:crypto";
import fc from "fast-check";
import Nylas, { NylasApiError, ServiceAccountSigner, canonicalJson as sdkCanonicalJson } from "nylas";
import { canonicalJson } from "../../src/auth/canonical-json.ts";
import {
  createServiceAccountKey,
  hasServiceAccountHeaders,
  NonceCache,
  type ServiceAccountCredentials,
  type SignatureCheck,
  type SignedRequest,
  verifyServiceAccountRequest,
} from "../../src/auth/service-account.ts";

const NOW = 1_742_932_766;
type Account = Awaited<ReturnType<typeof createServiceAccountKey>>;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  [alice, bob] = await Promise.all([
    createServiceAccountKey({ applicationId: "app-1" }),
    createServiceAccountKey({ applicationId: "app-1", name: "bob" }),
  ]);
});

/** What an SDK user does: load the credentials JSON file and build the SDK's signer from it. */
function sdkSigner(credentials: ServiceAccountCredentials, keyId = credentials.private_key_id) {
  const loaded = JSON.parse(JSON.stringify(credentials)) as ServiceAccountCredentials;
  return new ServiceAccountSigner({ privateKeyPem: loaded.private_key, privateKeyId: keyId });
}

interface SignOptions {
  query?: string;
  body?: Record<string, unknown>;
  timestamp?: number;
  nonce?: string;
  signer?: ServiceAccountSigner;
}

/** A request exactly as the SDK sends it: path signed without query, body = the signed canonical JSON. */
function signed(method: string, path: string, opts: SignOptions = {}): SignedRequest {
  const signer = opts.signer ?? sdkSigner(alice.credentials);
  const { headers, serializedBody } = signer.buildHeaders({
    method,
    path,
    body: opts.body,
    timestamp: opts.timestamp ?? NOW,
    nonce: opts.nonce,
  });
  return {
    method,
    path,
    query: opts.query ?? "",
    headers: new Headers(headers),
    rawBody: serializedBody ?? "",
  };
}

function deps(overrides: { nonces?: NonceCache; windowSeconds?: number } = {}) {
  const keys = new Map([
    [alice.privateKeyId, alice.publicKeyPem],
    [bob.privateKeyId, bob.publicKeyPem],
  ]);
  return {
    publicKeyFor: async (keyId: string) => keys.get(keyId) ?? null,
    nonces: overrides.nonces ?? new NonceCache(),
    now: () => NOW,
    windowSeconds: overrides.windowSeconds,
  };
}

function reasonOf(check: SignatureCheck): string {
  expect(check.ok).toBe(false);
  return check.ok ? "" : check.reason;
}

describe("canonicalJson", () => {
  test("sorts keys at every depth, including objects inside arrays, with no whitespace", () => {
    const value = { z: "é\u2028\n", a: [{ y: 1, b: null }, 2.5, -0], m: { d: true, c: undefined } };
    expect(canonicalJson(value)).toBe('{"a":[{"b":null,"y":1},2.5,0],"m":{"d":true},"z":"é\u2028\\n"}');
  });

  test("matches the nylas SDK's output for arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sdkCanonicalJson(value as Record<string, unknown>));
      }),
      { numRuns: 500 },
    );
  });

  test("rejects non-finite numbers like the SDK", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow("finite numbers");
  });
});

describe("createServiceAccountKey", () => {
  test("returns Nylas-shaped credentials whose private key matches the stored public key", () => {
    const { credentials, privateKeyId, publicKeyPem } = alice;
    expect(credentials.type).toBe("service_account");
    expect(credentials.private_key_id).toBe(privateKeyId);
    expect(credentials.organization_id).toBe("app-1");
    expect(credentials.private_key).toStartWith("-----BEGIN PRIVATE KEY-----");
    const derived = createPublicKey(createPrivateKey(credentials.private_key));
    expect(derived.export({ type: "spki", format: "pem" })).toBe(publicKeyPem);
    expect(derived.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(bob.privateKeyId).not.toBe(alice.privateKeyId);
    expect(bob.credentials.name).toBe("bob");
  });
});

describe("verifyServiceAccountRequest accepts SDK-signed requests", () => {
  const cases: [string, () => SignedRequest][] = [
    ["GET without query", () => signed("GET", "/v3/admin/domains")],
    [
      "GET with query (the SDK signs the path only)",
      () => signed("GET", "/v3/admin/domains", { query: "limit=5" }),
    ],
    [
      "POST with body",
      () => signed("POST", "/v3/admin/domains", { body: { name: "T", domain_address: "a.io" } }),
    ],
    [
      "POST with body and query",
      () => signed("POST", "/v3/admin/domains/d1/verify", { body: { type: "mx" }, query: "x=1" }),
    ],
    ["POST without body", () => signed("POST", "/v3/admin/domains/d1/verify")],
    ["PUT with body", () => signed("PUT", "/v3/admin/domains/d1", { body: { name: "renamed" } })],
    [
      "PATCH with body",
      () => signed("PATCH", "/v3/admin/domains/d1", { body: { name: "x", nested: { b: 1, a: 2 } } }),
    ],
    ["DELETE", () => signed("DELETE", "/v3/admin/domains/ops%40example.com")],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      expect(await verifyServiceAccountRequest(make(), deps())).toEqual({
        ok: true,
        keyId: alice.privateKeyId,
      });
    });
  }

  test("timestamps exactly at the edge of the window", async () => {
    for (const timestamp of [NOW - 300, NOW + 300]) {
      const check = await verifyServiceAccountRequest(
        signed("GET", "/v3/admin/domains", { timestamp }),
        deps(),
      );
      expect(check.ok).toBe(true);
    }
  });

  test("a body sent pretty-printed when its canonical form was signed", async () => {
    const req = signed("POST", "/v3/admin/domains", { body: { name: "T", domain_address: "a.io" } });
    req.rawBody = JSON.stringify({ name: "T", domain_address: "a.io" }, null, 2);
    expect((await verifyServiceAccountRequest(req, deps())).ok).toBe(true);
  });

  test("a non-canonical body signed byte for byte (nylas-python: 1.0, array objects unsorted)", async () => {
    const rawBody = '{"a":[{"z":1,"y":2}],"b":1.0}';
    const req = signedByHand({ method: "post", path: "/v3/admin/domains", payload: rawBody });
    req.rawBody = rawBody;
    expect((await verifyServiceAccountRequest(req, deps())).ok).toBe(true);
  });

  test("a hand-made client that signs the path with its query string", async () => {
    const req = signedByHand({ method: "get", path: "/v3/admin/domains?limit=5" });
    req.query = "limit=5";
    expect((await verifyServiceAccountRequest(req, deps())).ok).toBe(true);
  });
});

/** Signs like the SDK but with a free-form envelope, for clients that are not the Node SDK. */
function signedByHand(envelope: { method: string; path: string; payload?: string }): SignedRequest {
  const nonce = "handmadeNonce123";
  const full = { ...envelope, nonce, timestamp: NOW };
  const signature = createSign("RSA-SHA256")
    .update(canonicalJson(full))
    .sign(alice.credentials.private_key, "base64");
  const headers = new Headers({
    "X-Nylas-Kid": alice.privateKeyId,
    "X-Nylas-Timestamp": String(NOW),
    "X-Nylas-Nonce": nonce,
    "X-Nylas-Signature": signature,
  });
  const [path = "", query = ""] = envelope.path.split("?");
  return { method: envelope.method.toUpperCase(), path, query, headers, rawBody: "" };
}

describe("verifyServiceAccountRequest rejects", () => {
  test("a tampered body", async () => {
    const req = signed("POST", "/v3/admin/domains", { body: { name: "T", domain_address: "a.io" } });
    req.rawBody = canonicalJson({ name: "T", domain_address: "evil.io" });
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain(
      "X-Nylas-Signature does not match",
    );
  });

  test("a tampered path", async () => {
    const req = signed("DELETE", "/v3/admin/domains/d1");
    req.path = "/v3/admin/domains/d2";
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain(
      "X-Nylas-Signature does not match",
    );
  });

  test("a tampered method", async () => {
    const req = signed("GET", "/v3/admin/domains/d1");
    req.method = "DELETE";
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain("does not match");
  });

  test("a tampered query when the query was signed", async () => {
    const req = signedByHand({ method: "get", path: "/v3/admin/domains?limit=5" });
    req.query = "limit=6";
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain("does not match");
  });

  test("a body that was signed for POST but dropped", async () => {
    const req = signed("POST", "/v3/admin/domains", { body: { name: "T" } });
    req.rawBody = "";
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain("does not match");
  });

  test("an unknown key id", async () => {
    const req = signed("GET", "/v3/admin/domains", { signer: sdkSigner(alice.credentials, "no-such-key") });
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toBe(
      'Unknown X-Nylas-Kid "no-such-key": no service-account key has that private_key_id',
    );
  });

  test("another account's key id on a request signed with this account's key", async () => {
    const req = signed("GET", "/v3/admin/domains", {
      signer: sdkSigner(alice.credentials, bob.privateKeyId),
    });
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toContain(
      `for key "${bob.privateKeyId}"`,
    );
  });

  test("an expired timestamp", async () => {
    const req = signed("GET", "/v3/admin/domains", { timestamp: NOW - 412 });
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toBe(
      "X-Nylas-Timestamp is 412 s away from the server clock (allowed: 300 s)",
    );
  });

  test("a future timestamp, with a custom window", async () => {
    const req = signed("GET", "/v3/admin/domains", { timestamp: NOW + 61 });
    const check = await verifyServiceAccountRequest(req, deps({ windowSeconds: 60 }));
    expect(reasonOf(check)).toBe("X-Nylas-Timestamp is 61 s away from the server clock (allowed: 60 s)");
  });

  test("a timestamp in milliseconds, with a hint", async () => {
    const req = signed("GET", "/v3/admin/domains", { timestamp: NOW * 1000 });
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toEndWith(
      "looks like milliseconds, send Unix seconds",
    );
  });

  test("a replayed nonce, and a fresh nonce still passes", async () => {
    const d = deps();
    const req = signed("GET", "/v3/admin/domains", { nonce: "nonceNonceNonce00001" });
    expect((await verifyServiceAccountRequest(req, d)).ok).toBe(true);
    expect(reasonOf(await verifyServiceAccountRequest(req, d))).toBe(
      `X-Nylas-Nonce "nonceNonceNonce00001" was already used with key "${alice.privateKeyId}" ` +
        "in the last 600 s; send a fresh nonce with every request",
    );
    expect((await verifyServiceAccountRequest(signed("GET", "/v3/admin/domains"), d)).ok).toBe(true);
  });

  test("nothing is recorded for a request whose signature fails", async () => {
    const d = deps();
    const forged = signed("GET", "/v3/admin/domains", { nonce: "stolenNonce000000001" });
    forged.path = "/v3/admin/domains/other";
    expect((await verifyServiceAccountRequest(forged, d)).ok).toBe(false);
    expect(d.nonces.size).toBe(0);
    const genuine = signed("GET", "/v3/admin/domains", { nonce: "stolenNonce000000001" });
    expect((await verifyServiceAccountRequest(genuine, d)).ok).toBe(true);
  });

  test("a body that is not JSON", async () => {
    const req = signed("POST", "/v3/admin/domains", { body: { name: "T" } });
    req.rawBody = "name=T";
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toBe(
      "Request body is not valid JSON; send the canonical JSON that was signed",
    );
  });

  test("a body on a method whose body is not signed", async () => {
    const req = signed("DELETE", "/v3/admin/domains/d1");
    req.rawBody = '{"force":true}';
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toBe(
      "DELETE requests must not have a body: only POST, PUT and PATCH bodies are signed",
    );
  });

  for (const name of ["X-Nylas-Kid", "X-Nylas-Timestamp", "X-Nylas-Nonce", "X-Nylas-Signature"]) {
    test(`a missing ${name} header`, async () => {
      const req = signed("GET", "/v3/admin/domains");
      req.headers.delete(name);
      expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toStartWith(`Missing ${name} (`);
    });
  }

  test("several missing headers are all named", async () => {
    const req = signed("GET", "/v3/admin/domains");
    req.headers.delete("X-Nylas-Nonce");
    req.headers.delete("X-Nylas-Signature");
    expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toStartWith(
      "Missing X-Nylas-Nonce, X-Nylas-Signature (",
    );
  });

  const malformed: [string, string, string][] = [
    ["X-Nylas-Timestamp", "2025-03-25T12:00:00Z", "X-Nylas-Timestamp must be a Unix time in whole seconds"],
    ["X-Nylas-Timestamp", "-1", "X-Nylas-Timestamp must be a Unix time in whole seconds"],
    ["X-Nylas-Nonce", "short", "X-Nylas-Nonce must be 8 to 128 printable ASCII characters"],
    ["X-Nylas-Signature", "not base64!", "X-Nylas-Signature must be the base64-encoded RSA-SHA256 signature"],
    ["X-Nylas-Kid", "k".repeat(129), "X-Nylas-Kid must be the private_key_id from your credentials file"],
  ];
  for (const [name, value, reason] of malformed) {
    test(`a malformed ${name}: ${value.slice(0, 24)}`, async () => {
      const req = signed("GET", "/v3/admin/domains");
      req.headers.set(name, value);
      expect(reasonOf(await verifyServiceAccountRequest(req, deps()))).toStartWith(reason);
    });
  }

  test("a nonce cache that forgets before the window closes is a configuration error", async () => {
    const req = signed("GET", "/v3/admin/domains");
    const d = deps({ nonces: new NonceCache(599) });
    await expect(verifyServiceAccountRequest(req, d)).rejects.toThrow("must be at least 2 × windowSeconds");
  });
});

describe("hasServiceAccountHeaders", () => {
  test("is true when any signing header is present, in any case", () => {
    expect(hasServiceAccountHeaders(signed("GET", "/v3/admin/domains").headers)).toBe(true);
    expect(hasServiceAccountHeaders(new Headers({ "x-nylas-timestamp": "1" }))).toBe(true);
  });

  test("is false for a Bearer request", () => {
    expect(hasServiceAccountHeaders(new Headers({ Authorization: "Bearer k" }))).toBe(false);
  });
});

describe("NonceCache", () => {
  test("reports a replay within the ttl and forgets after it", () => {
    const cache = new NonceCache(600);
    expect(cache.remember("k", "n", 1000)).toBe(true);
    expect(cache.remember("k", "n", 1600)).toBe(false);
    expect(cache.remember("k2", "n", 1600)).toBe(true);
    expect(cache.remember("k", "n", 1601)).toBe(true);
    expect(cache.size).toBe(2);
  });

  test("drops the oldest entry when full", () => {
    const cache = new NonceCache(600, 2);
    for (const nonce of ["a", "b", "c"]) expect(cache.remember("k", nonce, 1000)).toBe(true);
    expect(cache.size).toBe(2);
    expect(cache.remember("k", "a", 1000)).toBe(true);
    expect(cache.remember("k", "c", 1000)).toBe(false);
  });

  test("keeps key id and nonce apart", () => {
    const cache = new NonceCache();
    expect(cache.remember("ab", "c", 1)).toBe(true);
    expect(cache.remember("a", "bc", 1)).toBe(true);
  });

  test("rejects nonsense limits", () => {
    expect(() => new NonceCache(0)).toThrow(RangeError);
    expect(() => new NonceCache(600, 0)).toThrow(RangeError);
  });
});

describe("end to end with the nylas SDK", () => {
  interface Seen {
    method: string;
    path: string;
    query: string;
    rawBody: string;
    authorization: string | null;
    check: SignatureCheck;
  }
  const seen: Seen[] = [];
  let verifyDeps: ReturnType<typeof deps>;
  let server: ReturnType<typeof Bun.serve>;
  let nylas: Nylas;

  beforeAll(() => {
    verifyDeps = { ...deps(), now: () => Math.floor(Date.now() / 1000) };
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
    nylas = new Nylas({ apiKey: "unused", apiUri: `http://127.0.0.1:${server.port}` });
  });
  afterAll(() => server.stop(true));

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const rawBody = await req.text();
    const signedRequest = {
      method: req.method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      rawBody,
    };
    const check = await verifyServiceAccountRequest(signedRequest, verifyDeps);
    seen.push({ ...signedRequest, authorization: req.headers.get("authorization"), check });
    if (!check.ok) {
      return Response.json(
        { request_id: "x", error: { type: "unauthorized", message: check.reason } },
        { status: 401 },
      );
    }
    if (req.method === "GET" && url.pathname === "/v3/admin/domains") {
      return Response.json({ request_id: "x", data: [], next_cursor: null });
    }
    if (req.method === "DELETE") return Response.json({ request_id: "x" });
    const body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    return Response.json({ request_id: "x", data: { id: "dom-1", organization_id: "app-1", ...body } });
  }

  function lastSeen(): Seen {
    const last = seen.at(-1);
    if (!last) throw new Error("the server saw no request");
    return last;
  }

  const signer = () => sdkSigner(alice.credentials);

  test("domains.list signs the path without the query and sends no Bearer key", async () => {
    const page = await nylas.domains.list({ signer: signer(), queryParams: { limit: 5 } });
    expect(page.data).toEqual([]);
    expect(lastSeen()).toMatchObject({ path: "/v3/admin/domains", query: "limit=5", authorization: null });
    expect(lastSeen().check).toEqual({ ok: true, keyId: alice.privateKeyId });
  });

  test("domains.create sends the canonical snake_case JSON that it signed", async () => {
    const created = await nylas.domains.create({
      signer: signer(),
      requestBody: { name: "Transactional", domainAddress: "mail.example.com" },
    });
    expect(created.data).toMatchObject({
      id: "dom-1",
      name: "Transactional",
      domainAddress: "mail.example.com",
    });
    expect(lastSeen()).toMatchObject({
      method: "POST",
      rawBody: '{"domain_address":"mail.example.com","name":"Transactional"}',
      check: { ok: true, keyId: alice.privateKeyId },
    });
  });

  test("find, update, verify and destroy with a percent-encoded domain id", async () => {
    const domainId = "ops@example.com";
    await nylas.domains.find({ signer: signer(), domainId });
    await nylas.domains.update({ signer: signer(), domainId, requestBody: { name: "renamed" } });
    await nylas.domains.verify({ signer: signer(), domainId, requestBody: { type: "dkim" } });
    await nylas.domains.destroy({ signer: signer(), domainId });
    const last4 = seen.slice(-4);
    expect(last4.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /v3/admin/domains/ops%40example.com",
      "PUT /v3/admin/domains/ops%40example.com",
      "POST /v3/admin/domains/ops%40example.com/verify",
      "DELETE /v3/admin/domains/ops%40example.com",
    ]);
    for (const s of last4) expect(s.check).toEqual({ ok: true, keyId: alice.privateKeyId });
  });

  test("a signer with an unknown key id gets the server's reason back as a NylasApiError", async () => {
    const stranger = await createServiceAccountKey({ applicationId: "app-2" });
    const error = await nylas.domains
      .list({ signer: sdkSigner(stranger.credentials) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NylasApiError);
    expect((error as NylasApiError).statusCode).toBe(401);
    expect((error as NylasApiError).message).toContain(`Unknown X-Nylas-Kid "${stranger.privateKeyId}"`);
  });
});
