import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";

export interface DkimKeyPair {
  selector: string;
  privateKeyPem: string;
  /** SubjectPublicKeyInfo DER in base64: the p= value of the DKIM TXT record. */
  publicKeyBase64: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

export const DEFAULT_DKIM_SELECTOR = "agentbox";

/** RSA 2048, generated off the main thread (it takes tens of milliseconds). */
export async function generateDkimKeyPair(selector = DEFAULT_DKIM_SELECTOR): Promise<DkimKeyPair> {
  const { privateKey, publicKey } = await generateRsaKeyPair("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "der" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { selector, privateKeyPem: privateKey, publicKeyBase64: publicKey.toString("base64") };
}
