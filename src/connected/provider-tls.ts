import { readFileSync } from "node:fs";
import { type ConnectionOptions, rootCertificates } from "node:tls";

/**
 * The TLS options of every connection to a provider (IMAP and SMTP): certificates verified, against
 * the system store plus NODE_EXTRA_CA_CERTS (the runtime's defaults), and, when the operator names
 * one (AGENTBOX_PROVIDER_CA_FILE), that CA file as well. Giving `ca` replaces the defaults, so
 * they are listed again beside it.
 */
export function providerTlsOptions(caFile: string | null): ConnectionOptions {
  if (caFile === null) return { rejectUnauthorized: true };
  let cached = byFile.get(caFile);
  if (!cached) {
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    cached = [
      ...rootCertificates,
      ...(extra ? [readFileSync(extra, "utf8")] : []),
      readFileSync(caFile, "utf8"),
    ];
    byFile.set(caFile, cached);
  }
  return { rejectUnauthorized: true, ca: cached };
}

const byFile = new Map<string, string[]>();
