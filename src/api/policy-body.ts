import type {
  PolicyFields,
  PolicyLimits,
  PolicyOptions,
  PolicySpamDetection,
} from "../guardrails/policies.ts";
import { badRequest } from "./errors.ts";
import { optionalBoolean, rejectUnknown, requiredString, requireObject } from "./validate.ts";

/**
 * The body of POST and PUT /v3/policies (reference §7.3). PUT is partial: a field given replaces
 * the stored one (a nested object wholesale), a field omitted is kept.
 */

const READ_ONLY = ["id", "application_id", "organization_id", "created_at", "updated_at"];
const FIELDS = ["name", "limits", "spam_detection", "options", "rules", ...READ_ONLY];

/** Message sizes a policy may not raise above the server's own maximum (the "plan maximum"). */
export interface PolicyBounds {
  maxMessageBytes: number;
}

export function parsePolicyCreate(body: unknown, bounds: PolicyBounds): PolicyFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  return {
    name: requiredString(input, "name", "name", 256),
    limits: input.limits === undefined ? {} : parseLimits(input.limits, bounds),
    spamDetection: input.spam_detection === undefined ? {} : parseSpamDetection(input.spam_detection),
    options: input.options === undefined ? {} : parseOptions(input.options),
    ruleIds: input.rules === undefined ? [] : idList(input.rules, "rules"),
  };
}

export function parsePolicyUpdate(body: unknown, current: PolicyFields, bounds: PolicyBounds): PolicyFields {
  const input = requireObject(body);
  rejectUnknown(input, FIELDS);
  return {
    name: input.name === undefined ? current.name : requiredString(input, "name", "name", 256),
    limits: input.limits === undefined ? current.limits : parseLimits(input.limits, bounds),
    spamDetection:
      input.spam_detection === undefined ? current.spamDetection : parseSpamDetection(input.spam_detection),
    options: input.options === undefined ? current.options : parseOptions(input.options),
    ruleIds: input.rules === undefined ? current.ruleIds : idList(input.rules, "rules"),
  };
}

type LimitKey = Exclude<keyof PolicyLimits, "limit_attachment_allowed_types">;

/** Each numeric limit: the least it may be, and whether -1 (unlimited) is allowed. */
const NUMERIC: Record<LimitKey, { min: number; unlimited: boolean; size?: boolean }> = {
  limit_attachment_size_limit: { min: 1, unlimited: false, size: true },
  limit_attachment_count_limit: { min: 0, unlimited: true },
  limit_size_total_mime: { min: 1, unlimited: false, size: true },
  limit_storage_total: { min: 1, unlimited: true },
  limit_count_daily_message_received: { min: 0, unlimited: true },
  limit_count_daily_email_sent: { min: 0, unlimited: true },
  limit_inbox_retention_period: { min: 1, unlimited: false },
  limit_spam_retention_period: { min: 1, unlimited: false },
};
/** The Nylas CLI's older name for the daily send limit. */
const ALIASES: Record<string, LimitKey> = {
  limit_count_daily_message_per_grant: "limit_count_daily_email_sent",
};

function parseLimits(value: unknown, bounds: PolicyBounds): PolicyLimits {
  const input = requireObject(value, "limits");
  rejectUnknown(
    input,
    [...Object.keys(NUMERIC), "limit_attachment_allowed_types", ...Object.keys(ALIASES)],
    "limits.",
  );
  const limits: PolicyLimits = {};
  for (const [given, v] of Object.entries(input)) {
    if (v === null || v === undefined || given === "limit_attachment_allowed_types") continue;
    const key = (ALIASES[given] ?? given) as LimitKey;
    limits[key] = limitValue(`limits.${given}`, v, NUMERIC[key], bounds);
  }
  if (input.limit_attachment_allowed_types !== undefined && input.limit_attachment_allowed_types !== null) {
    limits.limit_attachment_allowed_types = mimeTypes(input.limit_attachment_allowed_types);
  }
  const inbox = limits.limit_inbox_retention_period;
  const spam = limits.limit_spam_retention_period;
  if (inbox !== undefined && spam !== undefined && spam >= inbox) {
    throw badRequest(
      `limits.limit_spam_retention_period (${spam} days) must be shorter than limits.limit_inbox_retention_period (${inbox} days)`,
    );
  }
  return limits;
}

function limitValue(
  path: string,
  v: unknown,
  rule: (typeof NUMERIC)[LimitKey],
  bounds: PolicyBounds,
): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw badRequest(`${path} must be a whole number`);
  if (v === -1 && rule.unlimited) return v;
  if (v < rule.min) {
    const unlimited = rule.unlimited ? " (or -1 for no limit)" : "";
    throw badRequest(`${path} must be at least ${rule.min}${unlimited}`);
  }
  if (rule.size && v > bounds.maxMessageBytes) {
    throw badRequest(
      `${path} (${v} bytes) is above this server's maximum message size of ${bounds.maxMessageBytes} bytes (AGENTBOX_MAX_MESSAGE_BYTES)`,
    );
  }
  return v;
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/(?:\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})$/;

function mimeTypes(value: unknown): string[] {
  const types = stringList(value, "limits.limit_attachment_allowed_types", 200).map((t) =>
    t.trim().toLowerCase(),
  );
  const bad = types.find((t) => !MIME_TYPE.test(t));
  if (bad !== undefined) {
    throw badRequest(
      `limits.limit_attachment_allowed_types: "${bad}" is not a MIME type (like application/pdf or image/*)`,
    );
  }
  return [...new Set(types)];
}

function parseSpamDetection(value: unknown): PolicySpamDetection {
  const input = requireObject(value, "spam_detection");
  rejectUnknown(
    input,
    ["use_list_dnsbl", "use_header_anomaly_detection", "spam_sensitivity"],
    "spam_detection.",
  );
  const spam: PolicySpamDetection = {};
  const dnsbl = optionalBoolean(input, "use_list_dnsbl", "spam_detection.use_list_dnsbl");
  if (dnsbl !== undefined) spam.use_list_dnsbl = dnsbl;
  const headers = optionalBoolean(
    input,
    "use_header_anomaly_detection",
    "spam_detection.use_header_anomaly_detection",
  );
  if (headers !== undefined) spam.use_header_anomaly_detection = headers;
  const s = input.spam_sensitivity;
  if (s !== undefined && s !== null) {
    if (typeof s !== "number" || !Number.isFinite(s) || s < 0.1 || s > 5) {
      throw badRequest("spam_detection.spam_sensitivity must be a number from 0.1 to 5.0");
    }
    spam.spam_sensitivity = s;
  }
  return spam;
}

function parseOptions(value: unknown): PolicyOptions {
  const input = requireObject(value, "options");
  rejectUnknown(input, ["additional_folders", "use_cidr_aliasing"], "options.");
  const options: PolicyOptions = {};
  if (input.additional_folders !== undefined && input.additional_folders !== null) {
    options.additional_folders = stringList(input.additional_folders, "options.additional_folders", 256);
  }
  const cidr = optionalBoolean(input, "use_cidr_aliasing", "options.use_cidr_aliasing");
  if (cidr !== undefined) options.use_cidr_aliasing = cidr;
  return options;
}

/** An array of ids (rules, rule_ids): unique, each a non-empty string. */
export function idList(value: unknown, path: string): string[] {
  return [...new Set(stringList(value, path, 128))];
}

export function stringList(value: unknown, path: string, maxLength: number, maxItems = 1000): string[] {
  if (!Array.isArray(value)) throw badRequest(`${path} must be an array of strings`);
  if (value.length > maxItems) throw badRequest(`${path} may have at most ${maxItems} entries`);
  return value.map((v, i) => {
    if (typeof v !== "string" || v.trim() === "")
      throw badRequest(`${path}[${i}] must be a non-empty string`);
    if (v.length > maxLength) throw badRequest(`${path}[${i}] must be at most ${maxLength} characters`);
    return v;
  });
}
