import type { AccountUsage } from "../accounts/usage.ts";

/** An account's usage against its limits (agentbox extension); a null limit means none. */
export function presentUsage(grantId: string, u: AccountUsage) {
  return {
    grant_id: grantId,
    object: "usage",
    day: u.day,
    policy_id: u.policyId,
    storage: { used_bytes: u.storageUsedBytes, quota_bytes: u.storageQuotaBytes },
    sent_today: { count: u.sentToday, limit: u.dailySendLimit },
    received_today: { count: u.receivedToday, limit: u.dailyReceiveLimit },
  };
}
