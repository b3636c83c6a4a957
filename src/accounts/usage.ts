import { utcDay } from "../domain/utc-day.ts";
import type { Guardrails } from "../guardrails/governance.ts";
import { UNLIMITED } from "../guardrails/limits.ts";
import { nowSeconds } from "../ids.ts";
import { receivedOn } from "../mailbox/writes/receive-counts.ts";
import { sendsOn } from "../mailbox/writes/send-counts.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** How much of its limits an account has used: storage, and today's (UTC) sends and receipts. */
export interface AccountUsage {
  day: string;
  policyId: string | null;
  storageUsedBytes: number;
  /** null: no limit. */
  storageQuotaBytes: number | null;
  sentToday: number;
  dailySendLimit: number | null;
  /** Counted only while a policy sets a daily receive limit (as the MX enforces it). */
  receivedToday: number;
  dailyReceiveLimit: number | null;
}

const limited = (n: number | null): number | null => (n === null || n >= UNLIMITED ? null : n);

export function accountUsage(store: Store, guardrails: Guardrails, grant: GrantRow): AccountUsage {
  const day = utcDay(nowSeconds());
  const { limits, policyId } = guardrails.forGrant(grant);
  return {
    day,
    policyId,
    storageUsedBytes: grant.storageUsedBytes,
    storageQuotaBytes: limited(grant.storageQuotaBytes),
    sentToday: sendsOn(store.read, grant.id, day),
    dailySendLimit: limited(limits.dailySendLimit),
    receivedToday: receivedOn(store.read, grant.id, day),
    dailyReceiveLimit: limited(limits.dailyReceiveLimit),
  };
}
