import type { RuleFields } from "../guardrails/rules.ts";
import {
  ACTION_TYPES,
  type ActionType,
  CONDITION_FIELDS,
  CONDITION_OPERATORS,
  type ConditionField,
  RULE_TRIGGERS,
  type RuleAction,
  type RuleCondition,
  type RuleMatch,
  type RuleTrigger,
} from "../rule-engine/vocabulary.ts";
import { badRequest } from "./errors.ts";
import { idList } from "./policy-body.ts";
import {
  type Json,
  optionalBoolean,
  optionalString,
  rejectUnknown,
  requiredString,
  requireObject,
} from "./validate.ts";

/**
 * The body of POST and PUT /v3/rules (reference §7.4, the Nylas CLI's rule_validation.go).
 * PUT is partial: the fields given replace the stored ones, and the whole rule is checked again
 * (a trigger changed to inbound must not keep recipient conditions).
 */

const READ_ONLY = ["id", "application_id", "organization_id", "created_at", "updated_at"];
const FIELDS = ["name", "description", "priority", "enabled", "trigger", "match", "actions", ...READ_ONLY];
const MAX_CONDITIONS = 50;
const MAX_ACTIONS = 20;
const MAX_VALUE = 500;

export function parseRuleCreate(body: unknown): RuleFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  return parseRule(input);
}

/** The stored rule with the body's fields over it, checked as a whole. */
export function parseRuleUpdate(body: unknown, current: RuleFields): RuleFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  return parseRule({ ...wireOf(current), ...definedOnly(input) });
}

function parseRule(input: Json): RuleFields {
  const trigger = enumValue(input.trigger ?? "inbound", RULE_TRIGGERS, "trigger");
  return {
    name: requiredString(input, "name", "name", 256),
    description: optionalString(input, "description", "description", 1024) ?? null,
    priority: priority(input.priority),
    enabled: optionalBoolean(input, "enabled", "enabled") ?? true,
    trigger,
    match: parseMatch(input.match, trigger),
    actions: parseActions(input.actions, trigger),
  };
}

function priority(value: unknown): number {
  if (value === undefined || value === null) return 10;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw badRequest("priority must be a whole number from 0 to 1000 (lower runs first)");
  }
  return value;
}

function parseMatch(value: unknown, trigger: RuleTrigger): RuleMatch {
  if (value === undefined || value === null)
    throw badRequest("match is required (with at least one condition)");
  const match = requireObject(value, "match");
  rejectUnknown(match, ["operator", "conditions"], "match.");
  const operator = enumValue(match.operator ?? "all", ["any", "all"] as const, "match.operator");
  const conditions = match.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    throw badRequest("match.conditions must be an array with at least one condition");
  }
  if (conditions.length > MAX_CONDITIONS) {
    throw badRequest(`match.conditions may have at most ${MAX_CONDITIONS} conditions`);
  }
  return {
    operator,
    conditions: conditions.map((c, i) => parseCondition(c, `match.conditions[${i}]`, trigger)),
  };
}

function parseCondition(value: unknown, path: string, trigger: RuleTrigger): RuleCondition {
  const c = requireObject(value, path);
  rejectUnknown(c, ["field", "operator", "value"], `${path}.`);
  const field = enumValue(c.field, CONDITION_FIELDS, `${path}.field`);
  if (trigger === "inbound" && !field.startsWith("from.")) {
    throw badRequest(
      `${path}.field: ${field} is valid only on outbound rules; inbound rules match from.address, from.domain or from.tld`,
    );
  }
  const operator = enumValue(c.operator, CONDITION_OPERATORS, `${path}.operator`);
  if (operator === "in_list") {
    if (field === "outbound.type")
      throw badRequest(`${path}.operator: outbound.type accepts only is and is_not`);
    const ids = idList(typeof c.value === "string" ? [c.value] : c.value, `${path}.value`);
    if (ids.length === 0) throw badRequest(`${path}.value must name at least one list id`);
    return { field, operator, value: ids };
  }
  if (typeof c.value !== "string" || c.value.trim() === "") {
    throw badRequest(`${path}.value must be a non-empty string`);
  }
  if (c.value.length > MAX_VALUE) throw badRequest(`${path}.value must be at most ${MAX_VALUE} characters`);
  const normalised = c.value.trim().toLowerCase();
  if (field === "outbound.type") {
    if (operator === "contains")
      throw badRequest(`${path}.operator: outbound.type accepts only is and is_not`);
    if (normalised !== "compose" && normalised !== "reply") {
      throw badRequest(`${path}.value: outbound.type is compose or reply`);
    }
  }
  return { field, operator, value: normalised };
}

/** The Nylas CLI's older name for assign_to_folder. */
const ACTION_ALIASES: Record<string, ActionType> = { move_to_folder: "assign_to_folder" };

function parseActions(value: unknown, trigger: RuleTrigger): RuleAction[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest("actions must be an array with at least one action");
  }
  if (value.length > MAX_ACTIONS) throw badRequest(`actions may have at most ${MAX_ACTIONS} actions`);
  const actions = value.map((a, i) => parseAction(a, `actions[${i}]`, trigger));
  if (actions.length > 1 && actions.some((a) => a.type === "block")) {
    throw badRequest("actions: block is terminal and cannot be combined with other actions");
  }
  return actions;
}

function parseAction(value: unknown, path: string, trigger: RuleTrigger): RuleAction {
  const a = requireObject(value, path);
  rejectUnknown(a, ["type", "value"], `${path}.`);
  const given = typeof a.type === "string" ? (ACTION_ALIASES[a.type] ?? a.type) : a.type;
  const type = enumValue(given, ACTION_TYPES, `${path}.type`);
  if (type === "hold_for_review" && trigger !== "outbound") {
    throw badRequest(`${path}.type: hold_for_review applies to outbound rules only`);
  }
  if (type !== "assign_to_folder") return { type };
  const folder = optionalString(a, "value", `${path}.value`, 1024)?.trim();
  if (!folder) throw badRequest(`${path}.value is required for assign_to_folder: the folder's name or path`);
  return { type, value: folder };
}

function enumValue<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw badRequest(`${path} must be one of: ${allowed.join(", ")}`);
  }
  return value as T;
}

/** The list ids a rule's in_list conditions name, with the field each one is matched against. */
export function listReferences(match: RuleMatch): { listId: string; field: ConditionField }[] {
  return match.conditions.flatMap((c) =>
    c.operator === "in_list" ? (c.value as string[]).map((listId) => ({ listId, field: c.field })) : [],
  );
}

function wireOf(f: RuleFields): Json {
  return {
    name: f.name,
    description: f.description,
    priority: f.priority,
    enabled: f.enabled,
    trigger: f.trigger,
    match: f.match,
    actions: f.actions,
  };
}

function definedOnly(input: Json): Json {
  return Object.fromEntries(
    Object.entries(input).filter(([k, v]) => v !== undefined && !READ_ONLY.includes(k)),
  );
}
