import type { Store } from "../store/store.ts";

/** What the MX needs to know about a hosted recipient. */
export interface HostedRecipient {
  id: string;
  email: string;
  storageUsedBytes: number;
  storageQuotaBytes: number;
}

const BY_EMAIL =
  "SELECT id, email, storage_used_bytes AS storageUsedBytes, storage_quota_bytes AS storageQuotaBytes " +
  "FROM grants WHERE email = ?";

/**
 * The hosted account with this address (any application's), or null. A cached prepared statement
 * on the read connection: this runs at every RCPT TO, and drizzle's query building cost the MX
 * ~14% of its time (bench/smtp.ts profile).
 */
export function hostedRecipient(store: Store, email: string): HostedRecipient | null {
  return (store.read.$client.prepare(BY_EMAIL).get(email.toLowerCase()) as HostedRecipient | null) ?? null;
}
