import { createHmac, randomBytes } from "node:crypto";

/** `X-Nylas-Signature`: lowercase hex HMAC-SHA256 of the exact body bytes (compressed, if they are). */
export function sign(secret: string, body: Uint8Array): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** A new webhook secret: 256 random bits, hex. */
export function newSecret(): string {
  return randomBytes(32).toString("hex");
}

/** The secret `POST /v3/webhooks/send-test-event` signs with (as Nylas does). */
export const MOCK_SECRET = "mock-webhook-secret";
