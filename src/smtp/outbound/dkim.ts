import { sharedAuthPool } from "../auth-pool/pool.ts";
import type { DkimKey } from "./dkim-signer.ts";

export type { DkimKey };

/**
 * The message with a DKIM-Signature (rsa-sha256, relaxed/relaxed, over-signed: dkim-signer.ts)
 * prepended. Hashing up to the message size limit happens on an auth-pool thread.
 */
export async function signMessage(raw: Uint8Array, key: DkimKey): Promise<Buffer> {
  const field = await sharedAuthPool().sign(raw, key);
  return Buffer.concat([
    Buffer.from(field, "latin1"),
    Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
  ]);
}
