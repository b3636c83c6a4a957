import { and, eq, gte, inArray } from "drizzle-orm";
import { autoGroupWorkspace, defaultWorkspaceIn, ensureDefaultWorkspace } from "../guardrails/workspaces.ts";
import { nowSeconds } from "../ids.ts";
import { type GrantRow, grants, type WorkspaceRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { recordGrantEvent } from "./provision.ts";

/**
 * Which workspace an account is in. A new account goes to the workspace it names, else to the
 * auto-group workspace of its email's domain, else to the application's default workspace.
 * Moving accounts between workspaces is a grant.updated for each.
 */

export async function placeNewGrant(store: Store, applicationId: string, email: string): Promise<string> {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const grouped = autoGroupWorkspace(store.read, applicationId, domain);
  return grouped?.id ?? (await ensureDefaultWorkspace(store, applicationId)).id;
}

export interface Reassigned {
  assigned: string[];
  removed: string[];
}

/**
 * POST /v3/workspaces/{id}/manual-assign: the named accounts of the application join the
 * workspace, or leave it for the default workspace. Ids that are not the application's
 * accounts, or (for removal) not in this workspace, are left out of the answer.
 */
export async function manualAssign(
  store: Store,
  workspace: WorkspaceRow,
  assign: readonly string[],
  remove: readonly string[],
): Promise<Reassigned> {
  return store.writer.submit(async (tx) => {
    const fallback = defaultWorkspaceIn(tx, workspace.applicationId);
    const owned = (ids: readonly string[]) =>
      ids.length === 0
        ? []
        : tx
            .select()
            .from(grants)
            .where(and(eq(grants.applicationId, workspace.applicationId), inArray(grants.id, [...ids])))
            .all();
    const now = nowSeconds();
    const move = async (grant: GrantRow, to: string) => {
      tx.update(grants).set({ workspaceId: to, updatedAt: now }).where(eq(grants.id, grant.id)).run();
      await recordGrantEvent(tx, "grant.updated", { ...grant, workspaceId: to, updatedAt: now });
    };
    const assigned: string[] = [];
    for (const g of owned(assign)) {
      if (g.workspaceId !== workspace.id) await move(g, workspace.id);
      assigned.push(g.id);
    }
    const removed: string[] = [];
    for (const g of owned(remove).filter((g) => g.workspaceId === workspace.id)) {
      await move(g, fallback.id);
      removed.push(g.id);
    }
    return { assigned, removed };
  });
}

export interface AutoGroupFilter {
  afterCreatedAt?: number;
  invalidAlso: boolean;
  domain?: string;
}

/**
 * POST /v3/workspaces/auto-group: every matching account whose email domain has an auto-group
 * workspace moves into it (the others stay where they are), in batches of 200 per transaction.
 * Answers how many the filter matched and how many moved.
 */
export async function autoGroupGrants(
  store: Store,
  applicationId: string,
  filter: AutoGroupFilter,
): Promise<{ matched: number; moved: number }> {
  const candidates = store.read
    .select()
    .from(grants)
    .where(
      and(
        eq(grants.applicationId, applicationId),
        filter.afterCreatedAt !== undefined ? gte(grants.createdAt, filter.afterCreatedAt) : undefined,
        filter.invalidAlso ? undefined : eq(grants.grantStatus, "valid"),
      ),
    )
    .all()
    .filter((g) => !filter.domain || domainOf(g.email) === filter.domain);
  const moves = candidates.flatMap((g) => {
    const target = autoGroupWorkspace(store.read, applicationId, domainOf(g.email));
    return target && target.id !== g.workspaceId ? [{ grant: g, to: target.id }] : [];
  });
  for (let i = 0; i < moves.length; i += 200) {
    const batch = moves.slice(i, i + 200);
    await store.writer.submit(async (tx) => {
      const now = nowSeconds();
      for (const { grant, to } of batch) {
        tx.update(grants).set({ workspaceId: to, updatedAt: now }).where(eq(grants.id, grant.id)).run();
        await recordGrantEvent(tx, "grant.updated", { ...grant, workspaceId: to, updatedAt: now });
      }
    });
  }
  return { matched: candidates.length, moved: moves.length };
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}
