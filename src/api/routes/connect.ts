import { Elysia } from "elysia";
import { appPasswordProblem, hashAppPassword } from "../../accounts/app-password.ts";
import { findConnector } from "../../accounts/connectors.ts";
import { findGrantByEmail } from "../../accounts/grants.ts";
import { createGrant, GrantExistsError, updateGrant } from "../../accounts/provision.ts";
import { placeNewGrant } from "../../accounts/workspace-placement.ts";
import { ConnectConflictError, connectImapAccount } from "../../connected/connect-account.ts";
import { findDomainByAddress, readyForAccounts } from "../../domains/domains.ts";
import { findPolicy } from "../../guardrails/policies.ts";
import { findWorkspace } from "../../guardrails/workspaces.ts";
import { presentGrant } from "../../present/grant.ts";
import type { DomainRow, GrantRow } from "../../store/schema.ts";
import { callerOf } from "../auth.ts";
import { parseImapSettings } from "../connect-imap-body.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, conflict } from "../errors.ts";
import { requireOwnPolicy } from "../guardrail-refs.ts";
import { single } from "../http.ts";
import { connectRefusal } from "../provider-errors.ts";
import { type Json, optionalString, rejectUnknown, requiredString, requireObject } from "../validate.ts";

const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export interface AccountSettings {
  email: string;
  appPassword?: string;
  policyId?: string;
}

/** `settings` of an agent account, as given on create and PATCH (replaced wholesale). */
export function parseAccountSettings(value: unknown): AccountSettings {
  const settings = requireObject(value, "settings");
  rejectUnknown(settings, ["email", "app_password", "policy_id"], "settings.");
  const email = requiredString(settings, "email", "settings.email", 254).trim().toLowerCase();
  if (!EMAIL.test(email) || email.indexOf("@") > 64) {
    throw badRequest(`settings.email "${email}" is not a valid email address`);
  }
  const appPassword = optionalString(settings, "app_password", "settings.app_password", 200);
  if (appPassword !== undefined) {
    const problem = appPasswordProblem(appPassword);
    if (problem) throw badRequest(problem);
  }
  const policyId = optionalString(settings, "policy_id", "settings.policy_id", 64);
  return { email, appPassword, policyId };
}

/** What is stored and echoed as `settings`: never the password. */
export function storedSettings(s: AccountSettings): Record<string, unknown> {
  return s.policyId ? { email: s.email, policy_id: s.policyId } : { email: s.email };
}

/**
 * POST /v3/connect/custom with provider "nylas" creates an agent account (201). The same email
 * again from the same application re-authenticates: the given settings are applied to the
 * existing grant (201 again: the only success the spec declares), as Nylas does. From another
 * application it is a 409.
 */
export function connectRoutes(deps: ApiDeps) {
  return new Elysia().post("/v3/connect/custom", async ({ request, body }) => {
    const caller = callerOf(request);
    if (isImapConnect(body)) return connectImap(deps, request, body);
    const input = parseConnectBody(body);
    checkGovernance(deps, caller.applicationId, input);
    const domain = await requireUsableDomain(deps, caller.applicationId, input.settings.email);
    const existing = findGrantByEmail(deps.store, input.settings.email);
    if (existing)
      return single(
        request,
        presentGrant(await reauthenticate(deps, caller.applicationId, existing, input)),
        201,
      );
    const hash = input.settings.appPassword ? await hashAppPassword(input.settings.appPassword) : null;
    const settings = storedSettings({
      ...input.settings,
      policyId: input.settings.policyId ?? (await connectorPolicyId(deps, caller.applicationId)),
    });
    const workspaceId =
      input.workspaceId ?? (await placeNewGrant(deps.store, caller.applicationId, input.settings.email));
    const limits = deps.guardrails.forGrant({
      applicationId: caller.applicationId,
      workspaceId,
      settingsJson: JSON.stringify(settings),
    }).limits;
    try {
      const grant = await createGrant(deps.store, {
        applicationId: caller.applicationId,
        domainId: domain.id,
        email: input.settings.email,
        name: input.name ?? null,
        workspaceId,
        settings,
        appPasswordHash: hash,
        storageQuotaBytes: limits.storageQuotaBytes,
        dailySendLimit: limits.dailySendLimit,
      });
      deps.log.info({ grantId: grant.id, email: grant.email }, "account created");
      return single(request, presentGrant(grant), 201);
    } catch (err) {
      if (!(err instanceof GrantExistsError)) throw err;
      const grant = await reauthenticate(deps, caller.applicationId, err.existing, input, hash ?? undefined);
      return single(request, presentGrant(grant), 201);
    }
  });
}

function isImapConnect(body: unknown): body is Json {
  return typeof body === "object" && body !== null && (body as Json).provider === "imap";
}

/** provider imap: a person's existing mailbox, checked with a real login first (src/connected/). */
async function connectImap(deps: ApiDeps, request: Request, body: Json) {
  rejectUnknown(body, ["provider", "settings", "name", "state", "scope"]);
  if (body.settings === undefined) {
    throw badRequest(
      "settings is required (imap_username, imap_password, imap_host, imap_port, smtp_host, smtp_port)",
    );
  }
  const settings = parseImapSettings(body.settings);
  const name = optionalString(body, "name", "name", 256);
  try {
    const { grant } = await connectImapAccount(
      { ...deps, connected: deps.config.connected },
      callerOf(request).applicationId,
      { settings, ...(name !== undefined && { name }) },
    );
    return single(request, presentGrant(grant), 201);
  } catch (err) {
    if (err instanceof ConnectConflictError) throw conflict(err.message);
    throw connectRefusal(err);
  }
}

interface ConnectInput {
  settings: AccountSettings;
  name?: string;
  workspaceId?: string;
}

function parseConnectBody(value: unknown): ConnectInput {
  const body: Json = requireObject(value);
  rejectUnknown(body, ["provider", "settings", "name", "workspace_id", "state", "scope"]);
  const provider = requiredString(body, "provider", "provider", 64);
  if (provider !== "nylas") {
    throw badRequest(
      `provider "${provider}" is not supported: "nylas" (an agent account hosted here) or "imap" (a connected IMAP account)`,
    );
  }
  if (body.settings === undefined) throw badRequest("settings is required (with at least settings.email)");
  return {
    settings: parseAccountSettings(body.settings),
    name: optionalString(body, "name", "name", 256),
    workspaceId: optionalString(body, "workspace_id", "workspace_id", 64),
  };
}

/** settings.policy_id and workspace_id, when given, are the application's own (else 400). */
export function checkGovernance(
  deps: ApiDeps,
  applicationId: string,
  input: { settings?: AccountSettings; workspaceId?: string | null },
): void {
  requireOwnPolicy(deps.store, applicationId, input.settings?.policyId ?? null, "settings.policy_id");
  if (input.workspaceId && !findWorkspace(deps.store.read, applicationId, input.workspaceId)) {
    throw badRequest(`workspace_id ${input.workspaceId} not found or does not belong to this application`);
  }
}

/**
 * The policy a new account inherits when it names none: the application's `nylas` connector's
 * `settings.policy_id`, if that policy still exists (seed provisioning.txt).
 */
async function connectorPolicyId(deps: ApiDeps, applicationId: string): Promise<string | undefined> {
  const connector = await findConnector(deps.store, applicationId, "nylas");
  const id = connector
    ? (JSON.parse(connector.settingsJson) as { policy_id?: unknown }).policy_id
    : undefined;
  return typeof id === "string" && findPolicy(deps.store, applicationId, id) ? id : undefined;
}

function domainOf(email: string): string {
  return email.slice(email.indexOf("@") + 1);
}

async function requireUsableDomain(deps: ApiDeps, applicationId: string, email: string): Promise<DomainRow> {
  const address = domainOf(email);
  const domain = await findDomainByAddress(deps.store, address);
  if (!domain || (domain.applicationId !== applicationId && !domain.isTrial)) {
    throw badRequest(
      `domain ${address} is not registered to this application: register it with POST /v3/admin/domains (agentbox domain add ${address}) and verify it`,
    );
  }
  const { ready, missing } = readyForAccounts(domain);
  if (!ready) {
    throw badRequest(
      `domain ${address} is not verified yet (missing: ${missing.join(", ")}); publish its DNS records and call POST /v3/admin/domains/${domain.id}/verify`,
    );
  }
  return domain;
}

async function reauthenticate(
  deps: ApiDeps,
  applicationId: string,
  existing: GrantRow,
  input: ConnectInput,
  knownHash?: string,
): Promise<GrantRow> {
  if (existing.applicationId !== applicationId) {
    throw conflict(`${existing.email} is already an account of another application`);
  }
  if (existing.provider !== "nylas") {
    throw conflict(`${existing.email} is a connected ${existing.provider} account, not an agent account`);
  }
  const password = input.settings.appPassword;
  const hash = knownHash ?? (password ? await hashAppPassword(password) : undefined);
  const updated = await updateGrant(deps.store, existing, {
    settings: storedSettings(input.settings),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.workspaceId !== undefined && { workspaceId: input.workspaceId }),
    ...(hash && { appPasswordHash: hash }),
  });
  await deps.guardrails.changed(applicationId);
  if (hash) deps.signOuts.announce(existing.id);
  return updated;
}
