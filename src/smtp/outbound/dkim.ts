import { dkimSign } from "mailauth";

export interface DkimKey {
  /** d=: the sending domain. */
  domain: string;
  /** s=: the selector published at `<selector>._domainkey.<domain>`. */
  selector: string;
  privateKeyPem: string;
}

/** The fields signed (RFC 6376 §5.4.1), each listed once more to block a later added copy. */
const SIGNED_FIELDS = [
  "from",
  "sender",
  "reply-to",
  "subject",
  "date",
  "message-id",
  "to",
  "cc",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "in-reply-to",
  "references",
  "list-unsubscribe",
  "list-unsubscribe-post",
];

/** The message with a DKIM-Signature (rsa-sha256, relaxed/relaxed) prepended. */
export async function signMessage(raw: Uint8Array, key: DkimKey): Promise<Buffer> {
  const input = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // mailauth signs what `signatureData` lists (its top-level signingDomain/selector are ignored).
  const result = await dkimSign(input, {
    canonicalization: "relaxed/relaxed",
    headerList: SIGNED_FIELDS,
    signatureData: [
      { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem },
    ] as unknown as Parameters<typeof dkimSign>[1]["signatureData"],
  } as Parameters<typeof dkimSign>[1]);
  const failure = result.errors?.[0];
  if (failure || !result.signatures) {
    throw new Error(
      `DKIM signing for ${key.domain} failed: ${failure ? JSON.stringify(failure) : "no signature"}`,
    );
  }
  return Buffer.concat([Buffer.from(result.signatures, "latin1"), input]);
}
