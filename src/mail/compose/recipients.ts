import { createHash } from "node:crypto";
import { canonicalJson } from "../../auth/canonical-json.ts";
import type { SendRequest } from "./request.ts";

/** SMTP RCPT TO list: to + cc + bcc, lower-cased, first occurrence kept. */
export function envelopeRecipients(req: Pick<SendRequest, "to" | "cc" | "bcc">): string[] {
  const all = [...req.to, ...req.cc, ...req.bcc].map((p) => p.email.toLowerCase());
  return [...new Set(all)];
}

/**
 * SHA-256 (hex) of the validated request for Idempotency-Key checks: canonical JSON with sorted
 * keys, each attachment's bytes replaced by their own hash. Fingerprinting the parsed request
 * means a JSON send and a multipart send of the same message match.
 */
export function requestFingerprint(req: SendRequest): string {
  const attachments = req.attachments.map(({ content, ...rest }) => ({
    ...rest,
    sha256: sha256Hex(content),
  }));
  return sha256Hex(canonicalJson({ ...req, attachments }));
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
