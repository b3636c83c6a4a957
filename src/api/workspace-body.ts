import type { WorkspaceFields } from "../guardrails/workspaces.ts";
import type { WorkspaceRow } from "../store/schema.ts";
import { badRequest } from "./errors.ts";
import { idList } from "./policy-body.ts";
import { optionalBoolean, optionalString, rejectUnknown, requiredString, requireObject } from "./validate.ts";

/** Bodies of /v3/workspaces (reference §7.2). */

const READ_ONLY = ["workspace_id", "application_id", "default", "created_at", "updated_at"];
const FIELDS = ["name", "domain", "auto_group", "policy_id", "rule_ids", ...READ_ONLY];
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function parseWorkspaceCreate(body: unknown): WorkspaceFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  const domain = requiredString(input, "domain", "domain", 253).trim().toLowerCase();
  if (!DOMAIN.test(domain)) throw badRequest(`domain "${domain}" is not a domain name (like example.com)`);
  return {
    name: requiredString(input, "name", "name", 256),
    domain,
    autoGroup: optionalBoolean(input, "auto_group", "auto_group") ?? true,
    policyId: optionalString(input, "policy_id", "policy_id", 128) ?? null,
    ruleIds:
      input.rule_ids === undefined || input.rule_ids === null ? [] : idList(input.rule_ids, "rule_ids"),
  };
}

/**
 * PATCH: `policy_id` null detaches, `rule_ids` null or [] detaches, an omitted field is kept;
 * `domain` cannot change; on the default workspace only policy_id and rule_ids can.
 */
export function parseWorkspaceUpdate(body: unknown, current: WorkspaceRow): WorkspaceFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  if (input.domain !== undefined && String(input.domain).trim().toLowerCase() !== current.domain) {
    throw badRequest("domain cannot be changed after the workspace is created");
  }
  if (current.isDefault) {
    const other = ["name", "auto_group"].find((k) => input[k] !== undefined);
    if (other)
      throw badRequest(
        `${other} cannot be changed on the default workspace: only policy_id and rule_ids can`,
      );
  }
  return {
    name: input.name === undefined ? current.name : requiredString(input, "name", "name", 256),
    domain: current.domain,
    autoGroup: optionalBoolean(input, "auto_group", "auto_group") ?? current.autoGroup,
    policyId:
      input.policy_id === undefined
        ? current.policyId
        : (optionalString(input, "policy_id", "policy_id", 128) ?? null),
    ruleIds:
      input.rule_ids === undefined
        ? (JSON.parse(current.ruleIdsJson) as string[])
        : input.rule_ids === null
          ? []
          : idList(input.rule_ids, "rule_ids"),
  };
}

/** POST /v3/workspaces/{id}/manual-assign: grant ids to add and to take out (≤ 500 each, ≥ 1 in all). */
export function parseManualAssign(body: unknown): { assign: string[]; remove: string[] } {
  const input = requireObject(body);
  rejectUnknown(input, ["assign_grants", "remove_grants"]);
  const list = (key: string) => {
    const v = input[key];
    if (v === undefined || v === null) return [];
    const ids = idList(v, key);
    if (ids.length > 500) throw badRequest(`${key} may have at most 500 grant ids`);
    return ids;
  };
  const assign = list("assign_grants");
  const remove = list("remove_grants");
  if (assign.length + remove.length === 0) {
    throw badRequest("name at least one grant id in assign_grants or remove_grants");
  }
  return { assign, remove };
}

/** POST /v3/workspaces/auto-group. */
export function parseAutoGroup(body: unknown): {
  afterCreatedAt?: number;
  invalidAlso: boolean;
  domain?: string;
} {
  const input = body === undefined || body === null || body === "" ? {} : requireObject(body);
  rejectUnknown(input, ["after_created_at", "invalid_also", "specific_domain"]);
  const after = input.after_created_at;
  if (
    after !== undefined &&
    after !== null &&
    (typeof after !== "number" || !Number.isFinite(after) || after < 0)
  ) {
    throw badRequest("after_created_at must be a Unix time in seconds");
  }
  const domain = optionalString(input, "specific_domain", "specific_domain", 253)?.trim().toLowerCase();
  return {
    ...(typeof after === "number" && { afterCreatedAt: after }),
    invalidAlso: optionalBoolean(input, "invalid_also", "invalid_also") ?? false,
    ...(domain && { domain }),
  };
}
