import { type DkimKey, dkimSignatureField } from "./dkim-signer.ts";

export type { DkimKey };

/** The message with a DKIM-Signature (rsa-sha256, relaxed/relaxed, over-signed) prepended. */
export async function signMessage(raw: Uint8Array, key: DkimKey): Promise<Buffer> {
  const input = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return Buffer.concat([Buffer.from(dkimSignatureField(input, key), "latin1"), input]);
}
