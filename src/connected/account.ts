import { eq } from "drizzle-orm";
import { nowSeconds } from "../ids.ts";
import { connectedAccounts } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { credentialKeyFor } from "./credential-key.ts";
import { openSecret, sealSecret } from "./credential-seal.ts";

export type ProviderSecurity = "tls" | "starttls";

export interface ProviderEndpoint {
  host: string;
  port: number;
  /** `tls`: TLS from the first byte (993, 465); `starttls`: plaintext upgraded at once (143, 587). */
  security: ProviderSecurity;
  username: string;
  password: string;
}

/** A grant whose mail lives at an IMAP provider: where and how agentbox logs in there. */
export interface ConnectedAccount {
  grantId: string;
  email: string;
  imap: ProviderEndpoint;
  smtp: ProviderEndpoint;
}

/** The account of a connected grant, passwords opened; undefined for any other grant. */
export async function loadConnectedAccount(
  store: Store,
  grantId: string,
): Promise<ConnectedAccount | undefined> {
  const row = await store.read.query.connectedAccounts.findFirst({
    where: eq(connectedAccounts.grantId, grantId),
  });
  if (!row) return undefined;
  const grant = await store.read.query.grants.findFirst({ where: (g, { eq }) => eq(g.id, grantId) });
  if (!grant) return undefined;
  const key = credentialKeyFor(store);
  return {
    grantId,
    email: grant.email,
    imap: {
      host: row.imapHost,
      port: row.imapPort,
      security: security(row.imapSecurity),
      username: row.imapUsername,
      password: openSecret(key, row.imapPasswordSealed, context(grantId, "imap")),
    },
    smtp: {
      host: row.smtpHost,
      port: row.smtpPort,
      security: security(row.smtpSecurity),
      username: row.smtpUsername,
      password: openSecret(key, row.smtpPasswordSealed, context(grantId, "smtp")),
    },
  };
}

/** Creates or replaces the account of an existing grant, passwords sealed. */
export async function saveConnectedAccount(store: Store, account: ConnectedAccount): Promise<void> {
  const key = credentialKeyFor(store);
  const now = nowSeconds();
  const values = {
    imapHost: account.imap.host,
    imapPort: account.imap.port,
    imapSecurity: account.imap.security,
    imapUsername: account.imap.username,
    imapPasswordSealed: sealSecret(key, account.imap.password, context(account.grantId, "imap")),
    smtpHost: account.smtp.host,
    smtpPort: account.smtp.port,
    smtpSecurity: account.smtp.security,
    smtpUsername: account.smtp.username,
    smtpPasswordSealed: sealSecret(key, account.smtp.password, context(account.grantId, "smtp")),
    updatedAt: now,
  };
  await store.writer.submit((tx) =>
    tx
      .insert(connectedAccounts)
      .values({ grantId: account.grantId, ...values, createdAt: now })
      .onConflictDoUpdate({ target: connectedAccounts.grantId, set: values }),
  );
}

/** Every connected grant (what the sync starts at boot). */
export async function listConnectedGrantIds(store: Store): Promise<string[]> {
  const rows = await store.read.select({ grantId: connectedAccounts.grantId }).from(connectedAccounts);
  return rows.map((r) => r.grantId);
}

function context(grantId: string, field: "imap" | "smtp"): string {
  return `connected_accounts:${grantId}:${field}`;
}

function security(value: string): ProviderSecurity {
  return value === "starttls" ? "starttls" : "tls";
}
