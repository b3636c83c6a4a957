import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Env } from "./env.ts";
import { ConfigError } from "./error.ts";

/** Connected IMAP accounts: how their providers are trusted and their passwords sealed. */
export interface ConnectedConfig {
  /**
   * A PEM file of CAs trusted for provider connections besides the system store and
   * NODE_EXTRA_CA_CERTS (AGENTBOX_PROVIDER_CA_FILE); null = those two only.
   */
  providerCaFile: string | null;
  /**
   * The key provider passwords are sealed with (AGENTBOX_SECRET_KEY: 64 hex digits or 32 bytes
   * of base64); null = a key generated once in the data directory (secret.key, mode 0600).
   */
  secretKey: Buffer | null;
}

export function loadConnectedConfig(env: Env): ConnectedConfig {
  const caFile = env.AGENTBOX_PROVIDER_CA_FILE?.trim() || null;
  if (caFile !== null && !existsSync(caFile)) {
    throw new ConfigError(`AGENTBOX_PROVIDER_CA_FILE=${caFile}: no such file`);
  }
  return { providerCaFile: caFile && resolve(caFile), secretKey: secretKey(env.AGENTBOX_SECRET_KEY) };
}

function secretKey(value: string | undefined): Buffer | null {
  const raw = value?.trim();
  if (!raw) return null;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) {
    throw new ConfigError(
      "AGENTBOX_SECRET_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -hex 32)",
    );
  }
  return key;
}
