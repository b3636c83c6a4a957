import type { PolicyLimits } from "./policies.ts";

/** What the server enforces when no policy sets a limit: today's AGENTBOX_* values. */
export interface DefaultLimits {
  maxMessageBytes: number;
  storageQuotaBytes: number;
  dailySendLimit: number;
}

/** The limits an account runs under: its policy's, else the server's defaults. */
export interface EffectiveLimits {
  maxMessageBytes: number;
  storageQuotaBytes: number;
  dailySendLimit: number;
  /** null: no daily receive limit. */
  dailyReceiveLimit: number | null;
  attachmentMaxBytes: number | null;
  attachmentMaxCount: number | null;
  /** MIME types (`type/subtype` or `type/*`); null: every type. */
  attachmentTypes: string[] | null;
  inboxRetentionDays: number | null;
  spamRetentionDays: number | null;
}

/** -1 means unlimited where the wire allows it; kept as a number every comparison accepts. */
export const UNLIMITED = Number.MAX_SAFE_INTEGER;

const orUnlimited = (v: number | undefined): number | undefined => (v === -1 ? UNLIMITED : v);

export function effectiveLimits(policy: PolicyLimits | undefined, defaults: DefaultLimits): EffectiveLimits {
  const p = policy ?? {};
  const receive = orUnlimited(p.limit_count_daily_message_received);
  const types = p.limit_attachment_allowed_types;
  return {
    maxMessageBytes: p.limit_size_total_mime ?? defaults.maxMessageBytes,
    storageQuotaBytes: orUnlimited(p.limit_storage_total) ?? defaults.storageQuotaBytes,
    dailySendLimit: orUnlimited(p.limit_count_daily_email_sent) ?? defaults.dailySendLimit,
    dailyReceiveLimit: receive === undefined || receive === UNLIMITED ? null : receive,
    attachmentMaxBytes: p.limit_attachment_size_limit ?? null,
    attachmentMaxCount: p.limit_attachment_count_limit ?? null,
    attachmentTypes: types && types.length > 0 ? types : null,
    inboxRetentionDays: p.limit_inbox_retention_period ?? null,
    spamRetentionDays: p.limit_spam_retention_period ?? null,
  };
}
