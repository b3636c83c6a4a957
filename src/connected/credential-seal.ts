import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Provider passwords at rest: AES-256-GCM with a fresh 96-bit nonce each time, bound to where the
 * value belongs (`context`, e.g. the grant and the field) so that a sealed value copied to another
 * row does not open. Text form: `v1.<nonce>.<tag>.<ciphertext>`, base64url.
 */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", nonce, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export class SealError extends Error {}

export function openSecret(key: Buffer, sealed: string, context: string): string {
  const [version, nonce, tag, body] = sealed.split(".");
  if (version !== "v1" || nonce === undefined || tag === undefined || body === undefined) {
    throw new SealError("not a sealed secret");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealError("the sealed secret does not open with this key (was AGENTBOX_SECRET_KEY changed?)");
  }
}
