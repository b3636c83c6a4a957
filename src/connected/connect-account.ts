import { findAnyGrantByEmail } from "../accounts/grants.ts";
import { createGrant, deleteGrant, GrantExistsError, updateGrant } from "../accounts/provision.ts";
import { placeNewGrant } from "../accounts/workspace-placement.ts";
import type { ConnectedConfig } from "../config/connected.ts";
import { placeholderDomainId } from "../domains/placeholder.ts";
import type { Guardrails } from "../guardrails/governance.ts";
import type { Logger } from "../log.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { type ConnectedAccount, type ProviderEndpoint, saveConnectedAccount } from "./account.ts";
import { verifyImapLogin } from "./provider-imap.ts";
import { providerTlsOptions } from "./provider-tls.ts";
import type { ConnectedSync } from "./sync/registry.ts";

/** POST /v3/connect/custom `settings` for provider imap, checked and completed. */
export interface ImapSettings {
  email: string;
  imap: Omit<ProviderEndpoint, "security">;
  smtp: Omit<ProviderEndpoint, "security">;
  /** The IMAP sub-type the client named (yahoo, icloud…), kept as given. */
  type?: string;
}

export interface ConnectDeps {
  store: Store;
  guardrails: Guardrails;
  connectedSync: ConnectedSync;
  connected: ConnectedConfig;
  log: Logger;
}

export class ConnectConflictError extends Error {}

/**
 * Connects a person's IMAP account: logs in at the provider first (nothing is created when that
 * fails), then creates the grant (provider imap) with its sealed credentials and starts its sync.
 * The same address again re-authenticates the existing grant (status valid, new credentials, the
 * sync restarted).
 */
export async function connectImapAccount(
  deps: ConnectDeps,
  applicationId: string,
  input: { settings: ImapSettings; name?: string },
): Promise<{ grant: GrantRow; created: boolean }> {
  const { settings } = input;
  const existing = findAnyGrantByEmail(deps.store, settings.email);
  if (existing && existing.applicationId !== applicationId) {
    throw new ConnectConflictError(`${settings.email} is already an account of another application`);
  }
  if (existing && existing.provider !== "imap") {
    throw new ConnectConflictError(
      `${settings.email} is an agent account of this server, not a connected one`,
    );
  }
  const tls = providerTlsOptions(deps.connected.providerCaFile);
  const timeouts = { connectMs: deps.connected.connectTimeoutMs, commandMs: deps.connected.commandTimeoutMs };
  const imap = await verifyImapLogin(settings.imap, tls, timeouts);
  const smtp: ProviderEndpoint = {
    ...settings.smtp,
    security: settings.smtp.port === 465 ? "tls" : "starttls",
  };
  const stored = presentedSettings(settings, imap);
  if (existing) {
    const grant = await reauthenticate(deps, existing, { imap, smtp }, stored, input.name);
    return { grant, created: false };
  }
  const grant = await create(deps, applicationId, settings.email, stored, input.name);
  try {
    await saveConnectedAccount(deps.store, { grantId: grant.id, email: grant.email, imap, smtp });
  } catch (err) {
    await deleteGrant(deps.store, grant);
    throw err;
  }
  deps.log.info({ grantId: grant.id, email: grant.email, imapHost: imap.host }, "IMAP account connected");
  deps.connectedSync.start(grant.id);
  return { grant, created: true };
}

async function create(
  deps: ConnectDeps,
  applicationId: string,
  email: string,
  settings: Record<string, unknown>,
  name: string | undefined,
): Promise<GrantRow> {
  const workspaceId = await placeNewGrant(deps.store, applicationId, email);
  const limits = deps.guardrails.forGrant({
    applicationId,
    workspaceId,
    settingsJson: JSON.stringify(settings),
  }).limits;
  try {
    return await createGrant(deps.store, {
      applicationId,
      domainId: await placeholderDomainId(deps.store, applicationId),
      email,
      name: name ?? null,
      workspaceId,
      settings,
      appPasswordHash: null,
      storageQuotaBytes: limits.storageQuotaBytes,
      dailySendLimit: limits.dailySendLimit,
      provider: "imap",
    });
  } catch (err) {
    if (err instanceof GrantExistsError) {
      throw new ConnectConflictError(`${email} was connected by another request meanwhile; try again`);
    }
    throw err;
  }
}

async function reauthenticate(
  deps: ConnectDeps,
  existing: GrantRow,
  endpoints: Pick<ConnectedAccount, "imap" | "smtp">,
  settings: Record<string, unknown>,
  name: string | undefined,
): Promise<GrantRow> {
  await deps.connectedSync.stop(existing.id);
  await saveConnectedAccount(deps.store, { grantId: existing.id, email: existing.email, ...endpoints });
  const grant = await updateGrant(deps.store, existing, {
    settings,
    grantStatus: "valid",
    ...(name !== undefined && { name }),
  });
  deps.log.info({ grantId: grant.id, email: grant.email }, "IMAP account re-authenticated");
  deps.connectedSync.start(grant.id);
  return grant;
}

/** What the grant shows as `settings`: where it connects, never a password. */
function presentedSettings(settings: ImapSettings, imap: ProviderEndpoint): Record<string, unknown> {
  return {
    imap_username: settings.imap.username,
    imap_host: imap.host,
    imap_port: imap.port,
    smtp_username: settings.smtp.username,
    smtp_host: settings.smtp.host,
    smtp_port: settings.smtp.port,
    ...(settings.type !== undefined && { type: settings.type }),
  };
}
