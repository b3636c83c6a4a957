import { type Env, flag, intInRange, redactUrl } from "./env.ts";
import { ConfigError } from "./error.ts";

/**
 * SMTP settings beyond the ports and the relay (those live in Config itself). The defaults are
 * what a production MTA uses; tests and benchmarks lower the timers.
 */
export interface SmtpConfig {
  /**
   * The port outbound delivery connects to on a recipient's MX (25). A test and operations knob:
   * tests point MX records at a capture server on 127.0.0.1 and a free port.
   */
  outboundPort: number;
  /** First retry delay after a 4xx or a connection failure; it doubles per attempt (with jitter). */
  retryBaseMs: number;
  /** The longest delay between two attempts. */
  retryMaxMs: number;
  /** How long a message keeps being retried before it bounces (4 days). */
  queueLifetimeMs: number;
  /** SMTP transactions in flight to one destination domain (or to the relay, per domain). */
  domainConcurrency: number;
  /** SMTP transactions in flight in all. */
  deliveryConcurrency: number;
  /** How often the outbound delivery looks for due queue rows when nothing woke it. */
  queuePollMs: number;
  /** Inbound: a connection idle this long is closed (RFC 5321 §4.5.3.2 asks for 5 minutes). */
  socketTimeoutMs: number;
  /**
   * Inbound: an absolute deadline from connecting to AUTH (submission) or to DATA (the MX, again
   * after each message), whatever the client sends meanwhile.
   */
  loginTimeoutMs: number;
  /** Inbound: connections per listener. */
  maxConnections: number;
  /** Inbound: connections per client IP per listener. */
  maxConnectionsPerIp: number;
  /** Inbound: the largest top-level header block a message may have (Postfix: header_size_limit). */
  maxHeaderBytes: number;
  /** Inbound: the most physical lines that header block may have (mailauth parses them in quadratic time). */
  maxHeaderLines: number;
  /** Outbound: connect, greeting and each command's reply must come within this. */
  outboundTimeoutMs: number;
  /** AGENTBOX_SMTP_RELAY, parsed; null = deliver to each domain's MX hosts. */
  relay: RelayConfig | null;
  /**
   * AGENTBOX_SMTP_QUEUE_HOLD=1: nothing leaves the queue (mail is queued, not delivered) until a
   * start without it. For maintenance, and for test servers that assert on queued rows.
   */
  hold: boolean;
}

export function loadSmtpConfig(env: Env): SmtpConfig {
  return {
    outboundPort: intInRange(env, "AGENTBOX_SMTP_OUTBOUND_PORT", 25, 1, 65535),
    retryBaseMs: intInRange(env, "AGENTBOX_SMTP_RETRY_BASE_MS", 60_000, 1),
    retryMaxMs: intInRange(env, "AGENTBOX_SMTP_RETRY_MAX_MS", 2 * 3600_000, 1),
    queueLifetimeMs: intInRange(env, "AGENTBOX_SMTP_QUEUE_LIFETIME_S", 4 * 86_400, 1) * 1000,
    domainConcurrency: intInRange(env, "AGENTBOX_SMTP_DOMAIN_CONCURRENCY", 8, 1),
    deliveryConcurrency: intInRange(env, "AGENTBOX_SMTP_DELIVERY_CONCURRENCY", 64, 1),
    queuePollMs: intInRange(env, "AGENTBOX_SMTP_QUEUE_POLL_MS", 1000, 1),
    socketTimeoutMs: intInRange(env, "AGENTBOX_SMTP_TIMEOUT_S", 300, 1) * 1000,
    loginTimeoutMs: intInRange(env, "AGENTBOX_SMTP_LOGIN_TIMEOUT_S", 60, 1) * 1000,
    maxConnections: intInRange(env, "AGENTBOX_SMTP_MAX_CONNECTIONS", 2000, 1),
    maxConnectionsPerIp: intInRange(env, "AGENTBOX_SMTP_MAX_CONNECTIONS_PER_IP", 100, 1),
    maxHeaderBytes: intInRange(env, "AGENTBOX_SMTP_MAX_HEADER_BYTES", 102_400, 1024),
    maxHeaderLines: intInRange(env, "AGENTBOX_SMTP_MAX_HEADER_LINES", 5000, 100),
    outboundTimeoutMs: intInRange(env, "AGENTBOX_SMTP_OUTBOUND_TIMEOUT_S", 60, 1) * 1000,
    relay: parseRelay(env.AGENTBOX_SMTP_RELAY || null),
    hold: flag(env, "AGENTBOX_SMTP_QUEUE_HOLD"),
  };
}

/** AGENTBOX_SMTP_RELAY, parsed: `smtp://` (STARTTLS when offered) or `smtps://`, optional `user:pass@`. */
export interface RelayConfig {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
}

export function parseRelay(raw: string | null): RelayConfig | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `AGENTBOX_SMTP_RELAY=${redactUrl(raw)} is not a URL (smtp://host:port or smtps://host:port)`,
    );
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError(`AGENTBOX_SMTP_RELAY=${redactUrl(raw)}: the scheme must be smtp:// or smtps://`);
  }
  const secure = url.protocol === "smtps:";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new ConfigError(`AGENTBOX_SMTP_RELAY=${redactUrl(raw)}: no host`);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : null,
  };
}
