/**
 * Nylas v3 "service account" request signing, verified server-side.
 *
 * The `nylas` SDK (v8.4.0, models/serviceAccount.js) authenticates /v3/admin/* calls without a Bearer key:
 * it sends X-Nylas-Kid (the credentials' private_key_id), X-Nylas-Timestamp (Unix seconds), X-Nylas-Nonce
 * (20 random letters/digits) and X-Nylas-Signature = base64 RSASSA-PKCS1-v1_5/SHA-256 over
 *   canonicalJson({ method: lowercase, nonce, path, timestamp: number, payload?: canonicalJson(body) })
 * where `path` is the path WITHOUT the query string (the SDK signs "/v3/admin/domains" and appends
 * ?limit=… afterwards), and `payload` is present only for POST/PUT/PATCH with a body. The SDK sends that
 * canonical JSON string as the body, byte for byte.
 */

import { createPublicKey, generateKeyPair, type KeyObject, randomUUID, verify } from "node:crypto";
import { promisify } from "node:util";
import { nowSeconds } from "../ids.ts";
import { canonicalJson } from "./canonical-json.ts";

/** The credentials JSON file, shaped like the one Nylas support hands out (developer.nylas.com). */
export interface ServiceAccountCredentials {
  type: "service_account";
  name: string;
  /** Sent as X-Nylas-Kid. */
  private_key_id: string;
  /** RSA private key, PKCS#8 PEM. */
  private_key: string;
  organization_id: string;
  /** Not in Nylas's file; tells the user which id to put in /v3/admin/applications/{id}/… paths. */
  application_id: string;
  /** Nylas uses "us" / "eu"; kept only so tools that expect the field can parse the file. */
  region: string;
}

export interface SignedRequest {
  method: string;
  /** Pathname as received, still percent-encoded, e.g. /v3/admin/domains/abc/verify. */
  path: string;
  /** Raw query string without '?', may be ''. */
  query: string;
  headers: Headers;
  rawBody: string;
}

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: string };
type Failure = Extract<SignatureCheck, { ok: false }>;

export interface VerifyDeps {
  /** SPKI PEM of the key with this private_key_id, or null when there is none. */
  publicKeyFor(keyId: string): Promise<string | null>;
  nonces: NonceCache;
  /** Unix seconds. */
  now?: () => number;
  windowSeconds?: number;
}

const DEFAULT_WINDOW_SECONDS = 300;
const HEADER_NAMES = ["X-Nylas-Kid", "X-Nylas-Timestamp", "X-Nylas-Nonce", "X-Nylas-Signature"] as const;
const SIGNED_BODY_METHODS = new Set(["post", "put", "patch"]);
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const generateKeyPairAsync = promisify(generateKeyPair);

/** Makes a new RSA-2048 key pair; returns the credentials JSON to print once and the public PEM to store. */
export async function createServiceAccountKey(meta: { applicationId: string; name?: string }): Promise<{
  privateKeyId: string;
  publicKeyPem: string;
  credentials: ServiceAccountCredentials;
}> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const privateKeyId = randomUUID();
  const credentials: ServiceAccountCredentials = {
    type: "service_account",
    name: meta.name ?? "agentbox service account",
    private_key_id: privateKeyId,
    private_key: privateKey,
    organization_id: meta.applicationId,
    application_id: meta.applicationId,
    region: "us",
  };
  return { privateKeyId, publicKeyPem: publicKey, credentials };
}

/**
 * True when any signing header is present: route such requests to verifyServiceAccountRequest so a
 * half-signed request gets a precise error instead of "missing Bearer key".
 */
export function hasServiceAccountHeaders(headers: Headers): boolean {
  return HEADER_NAMES.some((name) => headers.has(name));
}

export async function verifyServiceAccountRequest(
  req: SignedRequest,
  deps: VerifyDeps,
): Promise<SignatureCheck> {
  const windowSeconds = deps.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  assertNonceTtlCoversWindow(deps.nonces, windowSeconds);
  const signing = readSigningHeaders(req.headers);
  if ("reason" in signing) return signing;
  const now = (deps.now ?? nowSeconds)();
  const clockFailure = checkClock(signing.timestamp, now, windowSeconds);
  if (clockFailure) return clockFailure;
  const payloads = payloadCandidates(req.method, req.rawBody);
  if ("reason" in payloads) return payloads;
  const pem = await deps.publicKeyFor(signing.keyId);
  if (pem === null) {
    return fail(`Unknown X-Nylas-Kid "${signing.keyId}": no service-account key has that private_key_id`);
  }
  if (!signatureMatches(req, signing, payloads.list, loadRsaPublicKey(pem, signing.keyId))) {
    return fail(
      `X-Nylas-Signature does not match this request for key "${signing.keyId}" (signed: lowercase method, ` +
        "path without query string, timestamp, nonce and, for POST/PUT/PATCH, the canonical JSON body)",
    );
  }
  // Recorded only now, so unsigned garbage cannot fill the cache or burn a legitimate client's nonce.
  if (!deps.nonces.remember(signing.keyId, signing.nonce, now)) {
    return fail(
      `X-Nylas-Nonce "${signing.nonce}" was already used with key "${signing.keyId}" in the last ` +
        `${deps.nonces.ttlSeconds} s; send a fresh nonce with every request`,
    );
  }
  return { ok: true, keyId: signing.keyId };
}

interface SigningHeaders {
  keyId: string;
  timestamp: number;
  nonce: string;
  signature: Buffer;
}

function readSigningHeaders(headers: Headers): SigningHeaders | Failure {
  const missing = HEADER_NAMES.filter((name) => !headers.get(name));
  if (missing.length > 0) {
    return fail(
      `Missing ${missing.join(", ")} (service-account requests must send X-Nylas-Kid, X-Nylas-Timestamp, ` +
        "X-Nylas-Nonce and X-Nylas-Signature)",
    );
  }
  const get = (name: (typeof HEADER_NAMES)[number]) => headers.get(name) ?? "";
  return validateSigningHeaders(
    get("X-Nylas-Kid"),
    get("X-Nylas-Timestamp"),
    get("X-Nylas-Nonce"),
    get("X-Nylas-Signature"),
  );
}

function validateSigningHeaders(
  keyId: string,
  timestamp: string,
  nonce: string,
  signature: string,
): SigningHeaders | Failure {
  if (keyId.length > 128 || !PRINTABLE_ASCII.test(keyId)) {
    return fail("X-Nylas-Kid must be the private_key_id from your credentials file (at most 128 characters)");
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    return fail(`X-Nylas-Timestamp must be a Unix time in whole seconds, e.g. ${nowSeconds()}`);
  }
  if (nonce.length < 8 || nonce.length > 128 || !PRINTABLE_ASCII.test(nonce)) {
    return fail("X-Nylas-Nonce must be 8 to 128 printable ASCII characters without spaces");
  }
  if (signature.length > 2048 || !BASE64.test(signature)) {
    return fail("X-Nylas-Signature must be the base64-encoded RSA-SHA256 signature");
  }
  return { keyId, timestamp: Number(timestamp), nonce, signature: Buffer.from(signature, "base64") };
}

function checkClock(timestamp: number, now: number, windowSeconds: number): Failure | null {
  const skew = Math.abs(now - timestamp);
  if (skew <= windowSeconds) return null;
  const hint = timestamp > now * 100 ? "; it looks like milliseconds, send Unix seconds" : "";
  return fail(
    `X-Nylas-Timestamp is ${skew} s away from the server clock (allowed: ${windowSeconds} s)${hint}`,
  );
}

/**
 * The payload strings the signature may cover; undefined means "no payload member". The SDK signs
 * canonicalJson(body) and sends exactly that string, so for it both candidates coincide. The raw body is
 * also accepted because it is authenticated byte for byte, and other SDKs' canonical forms differ from
 * the Node one (nylas-python keeps key order inside arrays and writes 1.0 for floats).
 */
function payloadCandidates(method: string, rawBody: string): { list: (string | undefined)[] } | Failure {
  const hasBody = rawBody.trim() !== "";
  if (!SIGNED_BODY_METHODS.has(method.toLowerCase())) {
    if (!hasBody) return { list: [undefined] };
    return fail(
      `${method.toUpperCase()} requests must not have a body: only POST, PUT and PATCH bodies are signed`,
    );
  }
  if (!hasBody) return { list: [undefined] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return fail("Request body is not valid JSON; send the canonical JSON that was signed");
  }
  const canonical = canonicalJson(parsed);
  return { list: canonical === rawBody ? [canonical] : [canonical, rawBody] };
}

/**
 * The SDK signs the path without the query string; a path with the query is also accepted for hand-made
 * clients that sign the full request target. Either way the signature was made with the private key.
 */
function signatureMatches(
  req: SignedRequest,
  signing: SigningHeaders,
  payloads: (string | undefined)[],
  key: KeyObject,
): boolean {
  const paths = req.query === "" ? [req.path] : [req.path, `${req.path}?${req.query}`];
  const method = req.method.toLowerCase();
  return paths.some((path) =>
    payloads.some((payload) => {
      const envelope = { method, nonce: signing.nonce, path, timestamp: signing.timestamp, payload };
      return verify("sha256", Buffer.from(canonicalJson(envelope)), key, signing.signature);
    }),
  );
}

function loadRsaPublicKey(pem: string, keyId: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "rsa") {
    throw new Error(`Service-account key ${keyId} is not an RSA public key`);
  }
  return key;
}

function assertNonceTtlCoversWindow(nonces: NonceCache, windowSeconds: number): void {
  // A timestamp is accepted from (t - window) to (t + window), so a nonce must be remembered for 2 windows.
  if (nonces.ttlSeconds < 2 * windowSeconds) {
    throw new Error(
      `NonceCache ttlSeconds (${nonces.ttlSeconds}) must be at least 2 × windowSeconds (${windowSeconds})`,
    );
  }
}

function fail(reason: string): Failure {
  return { ok: false, reason };
}

/** Nonces seen per key, in memory. Only verified requests are recorded, so only key holders can fill it. */
export class NonceCache {
  readonly ttlSeconds: number;
  readonly maxEntries: number;
  // Map keeps insertion order, i.e. oldest first: expiry and eviction only look at the front.
  private readonly seenAt = new Map<string, number>();

  constructor(ttlSeconds = 2 * DEFAULT_WINDOW_SECONDS, maxEntries = 100_000) {
    if (!(ttlSeconds > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError("NonceCache needs ttlSeconds > 0 and an integer maxEntries >= 1");
    }
    this.ttlSeconds = ttlSeconds;
    this.maxEntries = maxEntries;
  }

  /** false when seen within ttl (a replay) */
  remember(keyId: string, nonce: string, nowSeconds: number): boolean {
    this.expire(nowSeconds);
    const id = `${keyId}\u0000${nonce}`;
    if (this.seenAt.has(id)) return false;
    // Full of unexpired nonces: a key holder is flooding. Dropping the oldest only risks replays of
    // that holder's own old requests, whereas refusing would lock every client out.
    if (this.seenAt.size >= this.maxEntries) this.dropOldest();
    this.seenAt.set(id, nowSeconds);
    return true;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private expire(nowSeconds: number): void {
    for (const [id, at] of this.seenAt) {
      if (nowSeconds - at <= this.ttlSeconds) return;
      this.seenAt.delete(id);
    }
  }

  private dropOldest(): void {
    const oldest = this.seenAt.keys().next();
    if (!oldest.done) this.seenAt.delete(oldest.value);
  }
}
