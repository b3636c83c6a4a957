import { hostname as osHostname } from "node:os";
import { resolve } from "node:path";
import { type ConnectedConfig, loadConnectedConfig } from "./connected.ts";
import { type Env, port, positiveInt, redactUrl } from "./env.ts";
import { ConfigError } from "./error.ts";
import { loadSmtpConfig, type SmtpConfig } from "./smtp.ts";
import { loadSpamConfig, type SpamConfig } from "./spam.ts";
import { loadWebhookConfig, type WebhookConfig } from "./webhooks.ts";

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  /** The sliding window both counts are kept over. */
  windowMs: number;
}

/** Every operator setting, read once from the environment (docs/operations.md lists them). */
export interface Config {
  dataDir: string;
  host: string;
  hostname: string;
  ports: {
    http: number;
    imaps: number;
    smtps: number;
    submission: number;
    mx: number;
    /** Plaintext IMAP with STARTTLS; null = off. */
    imap: number | null;
  };
  apiKey: string | null;
  trialDomain: string;
  tlsCertPath: string | null;
  tlsKeyPath: string | null;
  dnsServer: string | null;
  smtpRelay: string | null;
  /**
   * Where recipients' mail clients reach this server's HTTP API (AGENTBOX_PUBLIC_URL): the base of
   * tracking pixels and link redirects. Null: open and link tracking are refused.
   */
  publicUrl: string | null;
  limits: {
    maxMessageBytes: number;
    dailySendLimit: number;
    storageQuotaBytes: number;
    /** IMAP connections per account. */
    imapMaxConnections: number;
    /** IMAP connections per client address, and in all (logged in or not). */
    imapMaxConnectionsPerIp: number;
    imapMaxConnectionsTotal: number;
    imapIdleTimeoutS: number;
    imapAutologoutS: number;
    /** HTTP request bodies above the JSON limit (1 MiB) read at once; more wait for a turn. */
    httpMaxLargeBodies: number;
    /** A connection not logged in this long after it opened is closed, whatever it sends. */
    imapLoginTimeoutS: number;
  };
  /** Wrong app passwords (IMAP and SMTP together) allowed per account and per client address. */
  logins: LoginLimits;
  databaseUrl: string;
  databaseSyncUrl: string | null;
  logLevel: string;
  /** `pretty` (coloured lines), `json`, or null: pretty when stdout is a terminal. */
  logFormat: "pretty" | "json" | null;
  /** How long an account actor may sit idle before it is stopped (not an operator promise; tests lower it). */
  actorIdleMs: number;
  webhooks: WebhookConfig;
  /** Outbound queue, retries and SMTP listener limits (smtp.ts). */
  smtp: SmtpConfig;
  /** DNSBL zones and rspamd, for policies with spam detection (spam.ts). */
  spam: SpamConfig;
  /** Connected IMAP accounts: the provider CA file and the credential key (connected.ts). */
  connected: ConnectedConfig;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.AGENTBOX_DATA_DIR || "./data");
  const databaseUrl = env.AGENTBOX_DATABASE_URL || `file:${resolve(dataDir, "agentbox.db")}`;
  if (!databaseUrl.startsWith("file:")) {
    throw new ConfigError(
      `AGENTBOX_DATABASE_URL=${redactUrl(databaseUrl)}: remote databases are not supported yet; use a file: URL (the embedded database)`,
    );
  }
  return {
    dataDir,
    host: env.AGENTBOX_HOST || "127.0.0.1",
    hostname: env.AGENTBOX_HOSTNAME || osHostname(),
    ports: {
      http: port(env, "AGENTBOX_HTTP_PORT", 3000),
      imaps: port(env, "AGENTBOX_IMAPS_PORT", 1993),
      smtps: port(env, "AGENTBOX_SMTPS_PORT", 1465),
      submission: port(env, "AGENTBOX_SUBMISSION_PORT", 1587),
      mx: port(env, "AGENTBOX_MX_PORT", 2525),
      imap: env.AGENTBOX_IMAP_PORT ? port(env, "AGENTBOX_IMAP_PORT", 0) : null,
    },
    apiKey: env.AGENTBOX_API_KEY || null,
    trialDomain: (env.AGENTBOX_TRIAL_DOMAIN || "agents.localhost").toLowerCase(),
    tlsCertPath: env.AGENTBOX_TLS_CERT || null,
    tlsKeyPath: env.AGENTBOX_TLS_KEY || null,
    dnsServer: env.AGENTBOX_DNS_SERVER || null,
    smtpRelay: env.AGENTBOX_SMTP_RELAY || null,
    publicUrl: publicUrl(env.AGENTBOX_PUBLIC_URL),
    limits: {
      maxMessageBytes: positiveInt(env, "AGENTBOX_MAX_MESSAGE_BYTES", 40 * 1024 * 1024),
      dailySendLimit: positiveInt(env, "AGENTBOX_DAILY_SEND_LIMIT", 100),
      storageQuotaBytes: positiveInt(env, "AGENTBOX_STORAGE_QUOTA_BYTES", 1024 * 1024 * 1024),
      imapMaxConnections: positiveInt(env, "AGENTBOX_IMAP_MAX_CONNECTIONS", 20),
      imapMaxConnectionsPerIp: positiveInt(env, "AGENTBOX_IMAP_MAX_CONNECTIONS_PER_IP", 100),
      imapMaxConnectionsTotal: positiveInt(env, "AGENTBOX_IMAP_MAX_CONNECTIONS_TOTAL", 5000),
      imapIdleTimeoutS: positiveInt(env, "AGENTBOX_IMAP_IDLE_TIMEOUT_S", 1800),
      imapAutologoutS: positiveInt(env, "AGENTBOX_IMAP_AUTOLOGOUT_S", 300),
      httpMaxLargeBodies: positiveInt(env, "AGENTBOX_HTTP_MAX_LARGE_BODIES", 4),
      imapLoginTimeoutS: positiveInt(env, "AGENTBOX_IMAP_LOGIN_TIMEOUT_S", 60),
    },
    logins: {
      maxFailuresPerAccount: positiveInt(env, "AGENTBOX_LOGIN_MAX_FAILURES_PER_ACCOUNT", 10),
      maxFailuresPerIp: positiveInt(env, "AGENTBOX_LOGIN_MAX_FAILURES_PER_IP", 30),
      windowMs: positiveInt(env, "AGENTBOX_LOGIN_FAILURE_WINDOW_S", 60) * 1000,
    },
    databaseUrl,
    databaseSyncUrl: env.AGENTBOX_DATABASE_SYNC_URL || null,
    logLevel: env.AGENTBOX_LOG_LEVEL || "info",
    logFormat: logFormat(env.AGENTBOX_LOG_FORMAT),
    actorIdleMs: positiveInt(env, "AGENTBOX_ACTOR_IDLE_MS", 60_000),
    webhooks: loadWebhookConfig(env),
    smtp: loadSmtpConfig(env),
    spam: loadSpamConfig(env),
    connected: loadConnectedConfig(env),
  };
}

function logFormat(value: string | undefined): "pretty" | "json" | null {
  if (!value || value === "auto") return null;
  if (value === "pretty" || value === "json") return value;
  throw new ConfigError(`AGENTBOX_LOG_FORMAT must be pretty, json or auto, not "${value}"`);
}

/** An http(s) URL with no query or fragment; a trailing slash is dropped. */
function publicUrl(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`AGENTBOX_PUBLIC_URL=${value}: not a URL (e.g. https://mail.example.com)`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash) {
    throw new ConfigError(`AGENTBOX_PUBLIC_URL=${value}: must be an http(s) URL without query or fragment`);
  }
  return url.href.replace(/\/+$/, "");
}
