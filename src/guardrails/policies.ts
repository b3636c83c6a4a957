import { and, asc, eq, gt } from "drizzle-orm";
import { newTimeUuid, nowSeconds } from "../ids.ts";
import { type PolicyRow, policies, workspaces } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type Page, type PageRequest, pageOf } from "./page.ts";

/**
 * Policies (/v3/policies): limits, spam detection and linked rules for many accounts. Stored as
 * the validated wire objects; src/guardrails/governance.ts reads them into what is enforced.
 */

/** The wire's `limits`, every field optional (absent: the server's default applies). */
export interface PolicyLimits {
  limit_attachment_size_limit?: number;
  limit_attachment_count_limit?: number;
  limit_attachment_allowed_types?: string[];
  limit_size_total_mime?: number;
  limit_storage_total?: number;
  limit_count_daily_message_received?: number;
  limit_count_daily_email_sent?: number;
  limit_inbox_retention_period?: number;
  limit_spam_retention_period?: number;
}

export interface PolicySpamDetection {
  use_list_dnsbl?: boolean;
  use_header_anomaly_detection?: boolean;
  spam_sensitivity?: number;
}

export interface PolicyOptions {
  additional_folders?: string[];
  use_cidr_aliasing?: boolean;
}

export interface PolicyFields {
  name: string;
  limits: PolicyLimits;
  spamDetection: PolicySpamDetection;
  options: PolicyOptions;
  /** Legacy `rules`: rule ids linked to the policy (applied with the workspace's). */
  ruleIds: string[];
}

export async function createPolicy(store: Store, applicationId: string, f: PolicyFields): Promise<PolicyRow> {
  const now = nowSeconds();
  const row: PolicyRow = {
    id: newTimeUuid(),
    applicationId,
    ...columnsOf(f),
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit((tx) => tx.insert(policies).values(row).run());
  return row;
}

export function listPolicies(store: Store, applicationId: string, page: PageRequest): Page<PolicyRow> {
  const rows = store.read
    .select()
    .from(policies)
    .where(
      and(eq(policies.applicationId, applicationId), page.after ? gt(policies.id, page.after) : undefined),
    )
    .orderBy(asc(policies.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit);
}

/** Every policy of the application (the governance snapshot). */
export function allPolicies(store: Store, applicationId: string): PolicyRow[] {
  return store.read.select().from(policies).where(eq(policies.applicationId, applicationId)).all();
}

/** The caller's policy, or null (another application's does not exist for it). */
export function findPolicy(store: Store, applicationId: string, id: string): PolicyRow | null {
  return (
    store.read
      .select()
      .from(policies)
      .where(and(eq(policies.applicationId, applicationId), eq(policies.id, id)))
      .get() ?? null
  );
}

export async function updatePolicy(store: Store, row: PolicyRow, f: PolicyFields): Promise<PolicyRow> {
  const next: PolicyRow = { ...row, ...columnsOf(f), updatedAt: nowSeconds() };
  await store.writer.submit((tx) => tx.update(policies).set(next).where(eq(policies.id, row.id)).run());
  return next;
}

/** Deletes the policy and detaches it from the workspaces that named it (grants that name it fall back). */
export async function deletePolicy(store: Store, row: PolicyRow): Promise<void> {
  await store.writer.submit((tx) => {
    tx.delete(policies).where(eq(policies.id, row.id)).run();
    tx.update(workspaces).set({ policyId: null }).where(eq(workspaces.policyId, row.id)).run();
  });
}

/** A stored row as the fields it was made from. */
export function policyFields(row: PolicyRow): PolicyFields {
  return {
    name: row.name,
    limits: JSON.parse(row.limitsJson) as PolicyLimits,
    spamDetection: JSON.parse(row.spamDetectionJson) as PolicySpamDetection,
    options: JSON.parse(row.optionsJson) as PolicyOptions,
    ruleIds: JSON.parse(row.ruleIdsJson) as string[],
  };
}

function columnsOf(f: PolicyFields) {
  return {
    name: f.name,
    limitsJson: JSON.stringify(f.limits),
    spamDetectionJson: JSON.stringify(f.spamDetection),
    optionsJson: JSON.stringify(f.options),
    ruleIdsJson: JSON.stringify(f.ruleIds),
  };
}
