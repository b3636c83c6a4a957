import { type Env, numberAtLeast } from "./env.ts";
import { ConfigError } from "./error.ts";

/** Webhook delivery and event-log settings (docs/api.md, "Webhooks" and "Event log"). */
export interface WebhookConfig {
  /** Delay before each retry; a notification gets `length + 1` attempts in all. */
  retryScheduleMs: number[];
  /** One delivery attempt: no answer within this is a timeout (retried). */
  timeoutMs: number;
  /** The challenge GET on create (and on a URL change). */
  challengeTimeoutMs: number;
  /** Requests in flight to one endpoint. */
  concurrency: number;
  /** Notifications held in memory per endpoint; beyond it the endpoint reads the log from disk. */
  queueSize: number;
  /** An endpoint whose attempts have all failed for this long becomes `failing`. */
  failingAfterMs: number;
  /** An endpoint becomes `failed` after this many notifications in a row ran out of attempts. */
  failedAfterNotifications: number;
  /** Events older than this are swept, unless an endpoint still needs them. */
  eventRetentionMs: number;
  /** SSE comment lines on an idle event stream. */
  sseHeartbeatMs: number;
  /** Which applications' webhooks may reach private, loopback and link-local addresses. */
  privateDestinations: PrivateDestinations;
}

/** 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: the last attempt ~24 h after the first. */
export const DEFAULT_RETRY_SCHEDULE_S = [10, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800];

export function loadWebhookConfig(env: Env): WebhookConfig {
  return {
    retryScheduleMs: retrySchedule(env.AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S),
    timeoutMs: numberAtLeast(env, "AGENTBOX_WEBHOOK_TIMEOUT_MS", 10_000, 1),
    challengeTimeoutMs: numberAtLeast(env, "AGENTBOX_WEBHOOK_CHALLENGE_TIMEOUT_MS", 10_000, 1),
    concurrency: numberAtLeast(env, "AGENTBOX_WEBHOOK_CONCURRENCY", 4, 1),
    queueSize: numberAtLeast(env, "AGENTBOX_WEBHOOK_QUEUE_SIZE", 1000, 1),
    failingAfterMs: numberAtLeast(env, "AGENTBOX_WEBHOOK_FAILING_AFTER_S", 900, 0) * 1000,
    failedAfterNotifications: numberAtLeast(env, "AGENTBOX_WEBHOOK_FAILED_AFTER", 10, 1),
    eventRetentionMs: numberAtLeast(env, "AGENTBOX_EVENT_RETENTION_DAYS", 7, 0) * 86_400_000,
    sseHeartbeatMs: numberAtLeast(env, "AGENTBOX_SSE_HEARTBEAT_MS", 15_000, 1),
    privateDestinations: parsePrivateDestinations(env.AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS),
  };
}

/** `10,30,120` seconds (fractions allowed), or `none` for a single attempt. */
function retrySchedule(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === "") return DEFAULT_RETRY_SCHEDULE_S.map((s) => s * 1000);
  if (raw.trim() === "none") return [];
  return raw.split(",").map((part) => {
    const s = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(s) || s < 0) {
      throw new ConfigError(
        `AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S=${raw}: expected seconds separated by commas, e.g. 10,30,120`,
      );
    }
    return Math.round(s * 1000);
  });
}

/**
 * AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS: which applications' webhooks may reach private, loopback
 * and link-local addresses. `operator` (default): only the operator's default application (its
 * webhooks are the operator's own, often on the same host); `all`: every application (a
 * single-tenant server whose receivers live on the private network); `none`: no application.
 */
export type PrivateDestinations = "operator" | "all" | "none";

function parsePrivateDestinations(raw: string | undefined): PrivateDestinations {
  const value = (raw ?? "").trim() || "operator";
  if (value === "operator" || value === "all" || value === "none") return value;
  throw new ConfigError(`AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS=${raw} must be operator, all or none`);
}
