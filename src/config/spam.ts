import { type Env, numberAtLeast } from "./env.ts";
import { ConfigError } from "./error.ts";

/** Spam scoring on the MX, for accounts whose policy asks for it (docs/operations.md). */
export interface SpamConfig {
  /** DNS block lists asked about the client's address (use_list_dnsbl). */
  dnsblZones: string[];
  /** rspamd's normal worker (`http://host:11333`); null = agentbox's own header checks. */
  rspamdUrl: string | null;
  rspamdTimeoutMs: number;
}

export function loadSpamConfig(env: Env): SpamConfig {
  const zones = (env.AGENTBOX_DNSBL_ZONES ?? "zen.spamhaus.org")
    .split(",")
    .map((z) => z.trim().toLowerCase().replace(/\.$/, ""))
    .filter((z) => z !== "");
  const rspamd = env.AGENTBOX_RSPAMD_URL?.trim() || null;
  if (rspamd !== null && !/^https?:\/\/[^/\s]+\/?$/.test(rspamd)) {
    throw new ConfigError(
      `AGENTBOX_RSPAMD_URL=${rspamd}: expected http://host:port (rspamd's normal worker)`,
    );
  }
  return {
    dnsblZones: zones,
    rspamdUrl: rspamd?.replace(/\/$/, "") ?? null,
    rspamdTimeoutMs: numberAtLeast(env, "AGENTBOX_RSPAMD_TIMEOUT_MS", 5000, 100),
  };
}
