import { nowSeconds } from "../ids.ts";
import { claimKey, finishKey, type IdempotencyScope, releaseKey } from "../sending/idempotency.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { json } from "./http.ts";

const MAX_KEY_LENGTH = 256;

/** What a send answers (its body without request_id): what a replay answers again. */
export interface SendOutcome {
  status: number;
  body: Record<string, unknown>;
}

/** A send request, validated: what identifies it for Idempotency-Key, and how to run it. */
export interface PreparedSend {
  fingerprint: string;
  run: () => Promise<SendOutcome>;
}

/** The request's Idempotency-Key, or null; a 400 when it is empty or too long. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ApiError(
      400,
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters (got ${key.length})`,
      "api.invalid_idempotency_key",
    );
  }
  return key;
}

/**
 * Runs a send, honouring Idempotency-Key when the request has one: the first request with a key
 * runs and its response is kept an hour; a replay with the same request gets that response again
 * (Idempotent-Response: true); a different request, or one while the first is still running, is a
 * 409. A failed send releases the key.
 */
export async function runIdempotent(
  deps: ApiDeps,
  request: Request,
  scope: IdempotencyScope,
  prepared: PreparedSend,
): Promise<Response> {
  const key = idempotencyKeyOf(request);
  if (key === null) {
    const outcome = await prepared.run();
    return json(request, outcome.status, outcome.body);
  }
  const claim = await claimKey(deps.store, scope, key, prepared.fingerprint, nowSeconds());
  if (claim.kind === "mismatch") {
    throw new ApiError(
      409,
      "this Idempotency-Key was already used with a different request; use a new key for a new message",
      "api.invalid_idempotent_request",
    );
  }
  if (claim.kind === "in_flight") {
    throw new ApiError(
      409,
      "a request with this Idempotency-Key is still being processed; retry once it has finished",
      "api.concurrent_idempotent_request",
    );
  }
  if (claim.kind === "replay") {
    const response = json(request, claim.status, claim.body);
    response.headers.set("idempotent-response", "true");
    return response;
  }
  let outcome: SendOutcome;
  try {
    outcome = await prepared.run();
  } catch (err) {
    await releaseKey(deps.store, scope, key);
    throw err;
  }
  await finishKey(deps.store, scope, key, outcome.status, outcome.body);
  return json(request, outcome.status, outcome.body);
}
