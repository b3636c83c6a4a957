/** Grant reads for IMAP sessions: the login's credentials, the password version, the quota. */
import type { Store } from "../store/store.ts";

export interface LoginGrant {
  grantId: string;
  email: string;
  appPasswordHash: string | null;
  passwordVersion: number;
  grantStatus: string;
}

/** The grant a protocol login names (by email, case-insensitively), or null. */
export function loginGrant(store: Store, email: string): LoginGrant | null {
  const row = store.read.$client
    .prepare(
      `SELECT id AS grantId, email, app_password_hash AS appPasswordHash, password_version AS passwordVersion,
              grant_status AS grantStatus
         FROM grants WHERE email = ?`,
    )
    .get(email.toLowerCase()) as LoginGrant | null;
  return row ?? null;
}

/**
 * The grant's current password version, or null when the grant is gone. One indexed lookup on a
 * compiled statement (a few microseconds): sessions call it before every command to notice a
 * rotated password.
 */
export function passwordVersion(store: Store, grantId: string): number | null {
  const row = store.read.$client
    .prepare("SELECT password_version AS v FROM grants WHERE id = ?")
    .get(grantId) as {
    v: number;
  } | null;
  return row ? row.v : null;
}

export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
}

export function storageUsage(store: Store, grantId: string): StorageUsage | null {
  const row = store.read.$client
    .prepare(
      "SELECT storage_used_bytes AS usedBytes, storage_quota_bytes AS quotaBytes FROM grants WHERE id = ?",
    )
    .get(grantId) as StorageUsage | null;
  return row ?? null;
}
