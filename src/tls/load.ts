/**
 * TLS material for the server: either the operator's files (AGENTBOX_TLS_CERT / AGENTBOX_TLS_KEY), or a
 * self-signed certificate generated on first start into $DATA_DIR/tls/{cert,key}.pem and reused after.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generateSelfSignedCertificate } from "./self-signed.ts";

export interface TlsMaterial {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  generated: boolean;
}

/** Marker in the subject of certificates we generated; only those are ever replaced automatically. */
const GENERATED_SUBJECT = "O=agentbox self-signed";
const RENEW_BEFORE_MS = 86_400_000;

export async function loadOrCreateTls(opts: {
  dataDir: string;
  certPath?: string;
  keyPath?: string;
  hostname: string;
}): Promise<TlsMaterial> {
  if (opts.certPath || opts.keyPath) {
    if (!opts.certPath || !opts.keyPath) {
      throw new Error("TLS: AGENTBOX_TLS_CERT and AGENTBOX_TLS_KEY must be set together");
    }
    const cert = await readPem(opts.certPath, "certificate");
    const key = await readPem(opts.keyPath, "private key");
    const problem = checkPair(cert, key);
    if (problem) throw new Error(`TLS: ${opts.certPath} / ${opts.keyPath}: ${problem}`);
    return { cert, key, certPath: opts.certPath, keyPath: opts.keyPath, generated: false };
  }

  const dir = join(opts.dataDir, "tls");
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const cert = await readPem(certPath, "certificate", true);
  const key = await readPem(keyPath, "private key", true);
  if (cert !== undefined && reusable(cert, key, opts.hostname, certPath, keyPath)) {
    return { cert, key, certPath, keyPath, generated: false };
  }

  const ipHost = isIP(opts.hostname) !== 0;
  const generatedPair = generateSelfSignedCertificate({
    hostnames: ipHost ? ["localhost"] : [opts.hostname, "localhost"],
    ips: ["127.0.0.1", "::1", ...(ipHost ? [opts.hostname] : [])],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(keyPath, generatedPair.keyPem, 0o600);
  await writeAtomic(certPath, generatedPair.certPem, 0o644);
  return { cert: generatedPair.certPem, key: generatedPair.keyPem, certPath, keyPath, generated: true };
}

/** Reads a PEM file; with `optional`, a missing file yields undefined. Other failures name the file. */
async function readPem(path: string, what: string, optional: true): Promise<string | undefined>;
async function readPem(path: string, what: string): Promise<string>;
async function readPem(path: string, what: string, optional = false): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (optional && code === "ENOENT") return undefined;
    const reason = code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new Error(`TLS: cannot read ${what} file ${path}: ${reason}`);
  }
}

/** Returns a description of what is wrong with a cert/key pair, or undefined if it is usable. */
function checkPair(cert: string, key: string): string | undefined {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    return `not a PEM certificate (${(err as Error).message})`;
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) return "private key does not match the certificate";
  } catch (err) {
    return `not a PEM private key (${(err as Error).message})`;
  }
  return undefined;
}

/**
 * Whether an existing cert.pem (and key.pem, if present) in the data directory can be used as is.
 * A certificate we generated ourselves is replaced (false) when its key is missing or does not match, it
 * is about to expire, or it no longer covers the configured host name. Anything else found there is
 * the operator's: it is used if the pair is consistent, and never overwritten (we throw instead).
 */
function reusable(
  cert: string,
  key: string | undefined,
  hostname: string,
  certPath: string,
  keyPath: string,
): key is string {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`TLS: ${certPath} is not a PEM certificate (${(err as Error).message})`);
  }
  const ours = x509.subject.split("\n").includes(GENERATED_SUBJECT);
  const problem = key === undefined ? `file not found: ${keyPath}` : checkPair(cert, key);
  if (!ours) {
    if (problem) throw new Error(`TLS: ${certPath} / ${keyPath}: ${problem}`);
    return true;
  }
  if (problem) return false;
  if (new Date(x509.validTo).getTime() - Date.now() < RENEW_BEFORE_MS) return false;
  const covered = isIP(hostname) !== 0 ? x509.checkIP(hostname) : x509.checkHost(hostname);
  return covered !== undefined;
}

async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}
