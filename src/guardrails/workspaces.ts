import { and, asc, eq } from "drizzle-orm";
import { newTimeUuid, nowSeconds } from "../ids.ts";
import type { Db, Tx } from "../store/db.ts";
import { grants, type WorkspaceRow, workspaces } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Workspaces (/v3/workspaces): groups of an application's accounts with the policy and rules
 * they run under. Every application has a default workspace (domain ''), made when first
 * needed; an account in no workspace of its application runs under that one.
 */

export interface WorkspaceFields {
  name: string;
  domain: string;
  autoGroup: boolean;
  policyId: string | null;
  ruleIds: string[];
}

export class WorkspaceDomainTakenError extends Error {}

const DEFAULT_NAME = "Default workspace";

/** The application's default workspace, made in this unit if it does not exist yet. */
export function defaultWorkspaceIn(tx: Tx, applicationId: string): WorkspaceRow {
  const existing = findDefault(tx, applicationId);
  if (existing) return existing;
  const now = nowSeconds();
  const row: WorkspaceRow = {
    id: newTimeUuid(),
    applicationId,
    name: DEFAULT_NAME,
    domain: "",
    autoGroup: false,
    isDefault: true,
    policyId: null,
    ruleIdsJson: "[]",
    createdAt: now,
    updatedAt: now,
  };
  tx.insert(workspaces).values(row).run();
  return row;
}

export async function ensureDefaultWorkspace(store: Store, applicationId: string): Promise<WorkspaceRow> {
  return (
    findDefault(store.read, applicationId) ??
    store.writer.submit((tx) => defaultWorkspaceIn(tx, applicationId))
  );
}

function findDefault(db: Db, applicationId: string): WorkspaceRow | undefined {
  return db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.applicationId, applicationId), eq(workspaces.isDefault, true)))
    .get();
}

/** Every workspace of the application, the default first, then in creation order. */
export function allWorkspaces(db: Db, applicationId: string): WorkspaceRow[] {
  return db
    .select()
    .from(workspaces)
    .where(eq(workspaces.applicationId, applicationId))
    .orderBy(asc(workspaces.id))
    .all()
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

export function findWorkspace(db: Db, applicationId: string, id: string): WorkspaceRow | null {
  return (
    db
      .select()
      .from(workspaces)
      .where(and(eq(workspaces.applicationId, applicationId), eq(workspaces.id, id)))
      .get() ?? null
  );
}

export async function createWorkspace(
  store: Store,
  applicationId: string,
  f: WorkspaceFields,
): Promise<WorkspaceRow> {
  const now = nowSeconds();
  const row: WorkspaceRow = {
    id: newTimeUuid(),
    applicationId,
    ...columnsOf(f),
    isDefault: false,
    createdAt: now,
    updatedAt: now,
  };
  await store.writer.submit((tx) => {
    defaultWorkspaceIn(tx, applicationId);
    const taken = tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(
        and(
          eq(workspaces.applicationId, applicationId),
          eq(workspaces.domain, f.domain),
          eq(workspaces.isDefault, false),
        ),
      )
      .get();
    if (taken)
      throw new WorkspaceDomainTakenError("a workspace already exists for the application and domain");
    tx.insert(workspaces).values(row).run();
  });
  return row;
}

export async function updateWorkspace(
  store: Store,
  row: WorkspaceRow,
  f: WorkspaceFields,
): Promise<WorkspaceRow> {
  const next: WorkspaceRow = { ...row, ...columnsOf(f), updatedAt: nowSeconds() };
  await store.writer.submit((tx) => tx.update(workspaces).set(next).where(eq(workspaces.id, row.id)).run());
  return next;
}

/** Deletes a workspace; its accounts move to the application's default workspace. */
export async function deleteWorkspace(store: Store, row: WorkspaceRow): Promise<void> {
  await store.writer.submit((tx) => {
    const fallback = defaultWorkspaceIn(tx, row.applicationId);
    tx.update(grants)
      .set({ workspaceId: fallback.id })
      .where(and(eq(grants.applicationId, row.applicationId), eq(grants.workspaceId, row.id)))
      .run();
    tx.delete(workspaces).where(eq(workspaces.id, row.id)).run();
  });
}

/**
 * The auto-group workspace an address on `emailDomain` joins: the one whose domain is that
 * domain or a parent of it (the longest such), or null.
 */
export function autoGroupWorkspace(db: Db, applicationId: string, emailDomain: string): WorkspaceRow | null {
  const domain = emailDomain.toLowerCase();
  const candidates = db
    .select()
    .from(workspaces)
    .where(
      and(
        eq(workspaces.applicationId, applicationId),
        eq(workspaces.autoGroup, true),
        eq(workspaces.isDefault, false),
      ),
    )
    .all()
    .filter((w) => domain === w.domain || domain.endsWith(`.${w.domain}`));
  return candidates.sort((a, b) => b.domain.length - a.domain.length)[0] ?? null;
}

export function workspaceRuleIds(row: WorkspaceRow): string[] {
  return JSON.parse(row.ruleIdsJson) as string[];
}

function columnsOf(f: WorkspaceFields) {
  return {
    name: f.name,
    domain: f.domain,
    autoGroup: f.autoGroup,
    policyId: f.policyId,
    ruleIdsJson: JSON.stringify(f.ruleIds),
  };
}
