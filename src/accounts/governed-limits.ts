import { eq } from "drizzle-orm";
import type { Guardrails } from "../guardrails/governance.ts";
import { applications, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * The two limits every surface reads from the grant's row (`storage_quota_bytes`: the actor, the
 * MX's RCPT check, IMAP QUOTA; `daily_send_limit`: the send unit) follow the account's policy.
 * After a change to an application's policies, workspaces or accounts, the rows whose values
 * differ are rewritten in one unit; answers the ids whose storage quota changed (their live
 * actors reload it). Run for every application at start, so a crash between a change and its
 * sync is repaired.
 */
export async function syncGrantLimits(
  store: Store,
  guardrails: Guardrails,
  applicationId: string,
): Promise<string[]> {
  const rows = store.read
    .select({
      id: grants.id,
      applicationId: grants.applicationId,
      workspaceId: grants.workspaceId,
      settingsJson: grants.settingsJson,
      storageQuotaBytes: grants.storageQuotaBytes,
      dailySendLimit: grants.dailySendLimit,
    })
    .from(grants)
    .where(eq(grants.applicationId, applicationId))
    .all();
  const changes = rows.flatMap((g) => {
    const { storageQuotaBytes, dailySendLimit } = guardrails.forGrant(g).limits;
    if (storageQuotaBytes === g.storageQuotaBytes && dailySendLimit === g.dailySendLimit) return [];
    return [
      {
        id: g.id,
        storageQuotaBytes,
        dailySendLimit,
        quotaChanged: storageQuotaBytes !== g.storageQuotaBytes,
      },
    ];
  });
  if (changes.length === 0) return [];
  await store.writer.submit((tx) => {
    const update = tx.$client.prepare(
      "UPDATE grants SET storage_quota_bytes = ?, daily_send_limit = ? WHERE id = ?",
    );
    for (const c of changes) update.run(c.storageQuotaBytes, c.dailySendLimit, c.id);
  });
  return changes.filter((c) => c.quotaChanged).map((c) => c.id);
}

/** Every application's accounts, at start. */
export async function syncAllGrantLimits(store: Store, guardrails: Guardrails): Promise<string[]> {
  const apps = store.read.select({ id: applications.id }).from(applications).all();
  const changed: string[] = [];
  for (const app of apps) changed.push(...(await syncGrantLimits(store, guardrails, app.id)));
  return changed;
}

/**
 * The largest message an account may receive or store, from its policy (else the server's
 * default), never above `ceiling` (what the listener reads at most); the ceiling for an
 * account that no longer exists.
 */
export function messageSizeLimit(
  store: Store,
  guardrails: Guardrails,
  grantId: string,
  ceiling: number,
): number {
  const grant = store.read
    .select({
      applicationId: grants.applicationId,
      workspaceId: grants.workspaceId,
      settingsJson: grants.settingsJson,
    })
    .from(grants)
    .where(eq(grants.id, grantId))
    .get();
  if (!grant) return ceiling;
  return Math.min(ceiling, guardrails.forGrant(grant).limits.maxMessageBytes);
}
