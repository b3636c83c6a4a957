import { createHash } from "node:crypto";
import { type Envelope, limitSize } from "../events/envelope.ts";
import { sign } from "./signature.ts";

export interface EncodedNotification {
  body: Uint8Array;
  headers: Record<string, string>;
  truncated: boolean;
}

/**
 * The notification id of one event for one endpoint: the same on every attempt and after a
 * restart, so receivers de-duplicate on it. Shaped like a UUID.
 */
export function notificationId(webhookId: string, eventId: string): string {
  const h = createHash("sha256").update(`${webhookId}:${eventId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The exact bytes to POST (gzip'd if asked) and their headers; the signature covers those bytes. */
export function encodeNotification(
  envelope: Envelope,
  secret: string,
  compress: boolean,
): EncodedNotification {
  const { json, truncated } = limitSize(envelope);
  const text = new TextEncoder().encode(json);
  const body = compress ? Bun.gzipSync(text) : text;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "agentbox-webhooks/1",
    "x-nylas-signature": sign(secret, body),
  };
  if (compress) headers["content-encoding"] = "gzip";
  return { body, headers, truncated };
}
