/**
 * URLAUTH's INTERNAL mechanism (RFC 4467 §7): the token is HMAC-SHA256 of the URL's rump under
 * the mailbox's secret key, in hex; it is compared in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const URLAUTH_MECHANISM = "INTERNAL";

export function urlAuthToken(key: Uint8Array, rump: string): string {
  return createHmac("sha256", key).update(rump, "utf8").digest("hex");
}

export function urlAuthTokenMatches(key: Uint8Array, rump: string, token: string): boolean {
  const expected = Buffer.from(urlAuthToken(key, rump), "hex");
  const given = Buffer.from(token, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
