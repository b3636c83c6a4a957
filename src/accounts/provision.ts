import { eq, sql } from "drizzle-orm";
import { SYSTEM_FOLDERS } from "../domain/system-folders.ts";
import { recordEvent } from "../events/outbox.ts";
import { newUuid, nowSeconds } from "../ids.ts";
import { deleteUnusedBlobs } from "../mailbox/writes/blobs.ts";
import { deleteSearchRows } from "../mailbox/writes/search-index.ts";
import type { Tx } from "../store/db.ts";
import { calendars, folders, type GrantRow, grants, messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

export interface NewGrant {
  applicationId: string;
  domainId: string;
  email: string;
  name: string | null;
  workspaceId: string | null;
  settings: Record<string, unknown>;
  appPasswordHash: string | null;
  storageQuotaBytes: number;
  dailySendLimit: number;
  /** `nylas` (an agent account, the default) or `imap` (a connected account, src/connected/). */
  provider?: "nylas" | "imap";
}

export class GrantExistsError extends Error {
  constructor(readonly existing: GrantRow) {
    super(`${existing.email} already exists`);
  }
}

/**
 * Creates an agent account: the grant, its six system folders, its primary calendar and the
 * grant.created event, in one transaction. The email is unique across the whole server.
 */
export async function createGrant(store: Store, input: NewGrant): Promise<GrantRow> {
  const now = nowSeconds();
  const row: GrantRow = {
    id: newUuid(),
    applicationId: input.applicationId,
    domainId: input.domainId,
    email: input.email.toLowerCase(),
    name: input.name,
    workspaceId: input.workspaceId,
    provider: input.provider ?? "nylas",
    grantStatus: "valid",
    settingsJson: JSON.stringify(input.settings),
    appPasswordHash: input.appPasswordHash,
    passwordVersion: input.appPasswordHash ? 1 : 0,
    storageQuotaBytes: input.storageQuotaBytes,
    storageUsedBytes: 0,
    dailySendLimit: input.dailySendLimit,
    highestModseq: 1,
    createdAt: now,
    updatedAt: now,
    uidValidityHigh: now,
  };
  await store.writer.submit(async (tx) => {
    const existing = await tx.query.grants.findFirst({ where: eq(grants.email, row.email) });
    if (existing) throw new GrantExistsError(existing);
    await tx.insert(grants).values(row);
    await tx.insert(folders).values(
      SYSTEM_FOLDERS.map((f) => ({
        grantId: row.id,
        id: f.id,
        name: f.name,
        specialUse: f.specialUse,
        systemFolder: true,
        uidValidity: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await tx.insert(calendars).values({
      id: `primary-${row.id}`,
      grantId: row.id,
      name: row.name ?? row.email,
      isPrimary: true,
      createdAt: now,
      updatedAt: now,
    });
    await recordGrantEvent(tx, "grant.created", row);
  });
  return row;
}

export interface GrantChanges {
  name?: string | null;
  workspaceId?: string | null;
  settings?: Record<string, unknown>;
  /** A new bcrypt hash: rotates the app password and ends live protocol sessions. */
  appPasswordHash?: string;
  /** `valid` again after a connected account re-authenticates. */
  grantStatus?: "valid" | "invalid";
}

export async function updateGrant(store: Store, grant: GrantRow, changes: GrantChanges): Promise<GrantRow> {
  const next: GrantRow = {
    ...grant,
    name: changes.name !== undefined ? changes.name : grant.name,
    workspaceId: changes.workspaceId !== undefined ? changes.workspaceId : grant.workspaceId,
    settingsJson: changes.settings ? JSON.stringify(changes.settings) : grant.settingsJson,
    grantStatus: changes.grantStatus ?? grant.grantStatus,
    updatedAt: nowSeconds(),
  };
  await store.writer.submit(async (tx) => {
    const current = await tx.query.grants.findFirst({ where: eq(grants.id, grant.id) });
    if (!current) throw new Error(`grant ${grant.id} vanished`);
    if (changes.appPasswordHash) {
      next.appPasswordHash = changes.appPasswordHash;
      next.passwordVersion = current.passwordVersion + 1;
    } else {
      next.appPasswordHash = current.appPasswordHash;
      next.passwordVersion = current.passwordVersion;
    }
    await tx
      .update(grants)
      .set({
        name: next.name,
        workspaceId: next.workspaceId,
        settingsJson: next.settingsJson,
        appPasswordHash: next.appPasswordHash,
        passwordVersion: next.passwordVersion,
        grantStatus: next.grantStatus,
        updatedAt: next.updatedAt,
      })
      .where(eq(grants.id, grant.id));
    await recordGrantEvent(tx, "grant.updated", next);
  });
  return { ...next, storageUsedBytes: grant.storageUsedBytes, highestModseq: grant.highestModseq };
}

/**
 * Removes the grant and, by cascade, its folders, messages and calendars; then the raw messages
 * no other account shares (blobs are content-addressed, so a copy may live on elsewhere).
 */
export async function deleteGrant(store: Store, grant: GrantRow): Promise<void> {
  await store.writer.submit(async (tx) => {
    const owned = await tx
      .select({ hash: messages.blobHash, seq: sql<number>`${messages}.rowid` })
      .from(messages)
      .where(eq(messages.grantId, grant.id));
    // The search index has no foreign key to cascade by, and SQLite may reuse a deleted rowid.
    deleteSearchRows(
      tx,
      owned.map((r) => r.seq),
    );
    await tx.delete(grants).where(eq(grants.id, grant.id));
    // Blobs are shared by content: another account's copy, or a queued delivery, keeps them.
    deleteUnusedBlobs(tx, new Set(owned.map((r) => r.hash)));
    await recordGrantEvent(tx, "grant.deleted", grant);
  });
}

const GRANT_EVENT_CODES = { "grant.created": 25012, "grant.updated": 25014, "grant.deleted": 25013 } as const;

export function recordGrantEvent(
  tx: Tx,
  type: keyof typeof GRANT_EVENT_CODES,
  grant: GrantRow,
): Promise<void> {
  return recordEvent(tx, {
    applicationId: grant.applicationId,
    grantId: grant.id,
    type,
    object: {
      code: GRANT_EVENT_CODES[type],
      grant_id: grant.id,
      integration_id: grant.provider,
      provider: grant.provider,
      email: grant.email,
      ...(grant.name !== null && { name: grant.name }),
      scope: [],
    },
  });
}
